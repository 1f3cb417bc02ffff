"""The loop on real parts: PostgreSQL, Redis as broker and channel layer, a Celery worker process."""
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import close_old_connections, connection, transaction

from accounts.errors import DomainError
from generation import services
from generation.models import Brief, GenerationJob
from generation.progress import group_name
from generation.verification import verify_bytes
from tests.factories import active_licence


def _wait_for_job(job_id, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = GenerationJob.objects.get(pk=job_id)
        if job.status in ("released", "failed", "cancelled"):
            return job
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} still {job.status} after {timeout}s")


def test_a_brief_is_rendered_by_a_real_worker_process(celery_worker_process):
    assert connection.vendor == "postgresql"
    licence, order, offer = active_licence()

    brief = services.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a portrait, studio light", seed=3)
    job = _wait_for_job(brief.job.pk)
    assert job.status == "released", job.error
    assert job.output and job.c2pa_signed
    with job.output.open("rb") as fh:
        data = fh.read()
    answer = verify_bytes(data, name="out.png")
    assert answer["made_here"] and answer["generation_id"] == str(job.pk)
    assert answer["licence_status"] == "active" and answer["c2pa_state"] == "valid"
    licence.refresh_from_db()
    assert licence.quota_used == 1


def test_progress_reaches_the_redis_channel_layer(celery_worker_process):
    """The worker process pushes every state and step through Redis to the job's group."""
    import asyncio
    import uuid

    licence, order, offer = active_licence()
    layer = get_channel_layer()
    channel = f"it-progress-{uuid.uuid4().hex}"  # a plain (non-process-specific) channel name
    # Subscribe before the transaction commits: the job is enqueued only on commit.
    with transaction.atomic():
        brief = services.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="progress please", seed=5)
        async_to_sync(layer.group_add)(group_name(brief.job.pk), channel)

    async def listen():
        statuses = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (not statuses or statuses[-1] not in ("released", "failed")):
            try:
                message = await asyncio.wait_for(layer.receive(channel), timeout=2)
            except asyncio.TimeoutError:
                continue
            statuses.append(message["payload"]["status"])
        return statuses

    statuses = async_to_sync(listen)()
    job = _wait_for_job(brief.job.pk)
    assert job.status == "released"
    assert statuses[0] == "running" and statuses[-1] == "released", statuses
    assert statuses.count("running") >= 2  # the transition, then a push per denoising step


@pytest.mark.django_db(transaction=True)
def test_concurrent_briefs_never_exceed_quota_on_postgresql(real_broker):
    """Briefs race for the last units of quota: the licence row lock lets exactly `quota` through."""
    real_broker.conf.task_always_eager = False
    real_broker.control.purge()
    licence, order, offer = active_licence(quota=3)
    results = []

    def submit(i):
        close_old_connections()
        try:
            services.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=f"a lemonade advert on a beach, take {i}", seed=i)
            results.append("ok")
        except DomainError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    real_broker.control.purge()
    assert results.count("ok") == 3 and results.count("refused") == 5
    licence.refresh_from_db()
    assert licence.quota_used == 3
    assert Brief.objects.filter(status="accepted").count() == 3
    assert GenerationJob.objects.count() == 3
