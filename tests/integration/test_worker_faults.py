"""Jobs that run exactly once whatever fails around them, with real worker processes on Redis and
PostgreSQL: the same job delivered twice, a worker killed with SIGKILL mid-job and another taking
over, a Redis restart mid-run. Each ends with exactly one output, one quota use, one release."""
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.conf import settings

from generation import services
from generation.models import GenerationJob, JobTransition
from generation.tasks import run_job
from licensing.models import UsageRecord
from tests.factories import granted_licence


def _wait(predicate, timeout=120, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("timed out")


def _exactly_once(job: GenerationJob):
    job.refresh_from_db()
    assert job.status == "released", (job.status, job.error)
    assert JobTransition.objects.filter(job=job, to_status="released").count() == 1
    assert UsageRecord.objects.filter(reference=str(job.brief_id)).count() == 1
    assert job.output and job.output.storage.exists(job.output.name)


def _use_broker(app, url):
    """Point this process's producer at another broker: kombu keeps one pool per broker URL, and
    publishing retries (reconnecting) on a connection that went away."""
    app.conf.broker_url = url
    app._after_fork()  # drops the app's cached pools so the next publish picks the new URL


def _submit(licence, prompt="a portrait"):
    settings.CONTENT_SCREENING_SEMANTIC = False
    return services.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=prompt, seed=11).job


def test_the_same_job_delivered_twice_runs_once(workers):
    workers.start()
    licence = granted_licence()
    job = _submit(licence)
    run_job.delay(str(job.pk))  # a duplicate delivery of the same message
    run_job.delay(str(job.pk))
    _wait(lambda: GenerationJob.objects.get(pk=job.pk).status == "released")
    time.sleep(2)  # let the duplicates be consumed
    _exactly_once(job)
    assert JobTransition.objects.filter(job=job, to_status="running").count() == 1


def test_a_worker_killed_mid_job_is_taken_over(workers):
    slow = dict(GENERATION_STEPS=100, GENERATION_SIZE=512, GENERATION_LEASE_SECONDS=3)
    first = workers.start(**slow)
    licence = granted_licence()
    job = _submit(licence)
    _wait(lambda: GenerationJob.objects.filter(pk=job.pk, status="running", step__gte=2).exists(), timeout=90)
    workers.kill(first)  # a crash: no warm shutdown, no ack
    assert GenerationJob.objects.get(pk=job.pk).status == "running"
    workers.start(GENERATION_STEPS=4, GENERATION_LEASE_SECONDS=3)
    time.sleep(3.5)  # the dead worker's lease runs out
    assert services.jobs_recover() >= 1  # what beat runs every 30 s
    _wait(lambda: GenerationJob.objects.get(pk=job.pk).status == "released", timeout=120)
    _exactly_once(job)
    job.refresh_from_db()
    assert job.attempts == 2
    assert JobTransition.objects.filter(job=job, to_status="queued", detail__startswith="requeued").count() == 1


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server to start a private Redis")
def test_a_redis_restart_mid_run_loses_nothing(workers, real_broker, tmp_path):
    """On a private Redis (so the machine's shared one is left alone): restart it while a job runs
    and while another waits in the queue. The running job finishes; the lost message is re-sent
    by the recovery sweep; each job is released once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"

    def start_redis():
        return subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )

    redis_proc = start_redis()
    old_url = real_broker.conf.broker_url
    try:
        _wait(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG", timeout=20)
        _use_broker(real_broker, url)
        workers.start(REDIS_URL=url, GENERATION_STEPS=100, GENERATION_SIZE=512, GENERATION_LEASE_SECONDS=30)
        licence = granted_licence()
        running = _submit(licence, "first")
        _wait(lambda: GenerationJob.objects.filter(pk=running.pk, status="running", step__gte=2).exists(), timeout=90)
        waiting = _submit(licence, "second")  # its message sits in Redis behind the running job

        os.killpg(redis_proc.pid, signal.SIGKILL)  # Redis goes away, queue and all
        redis_proc.wait()
        time.sleep(1)
        redis_proc = start_redis()
        _wait(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG", timeout=20)

        _wait(lambda: GenerationJob.objects.get(pk=running.pk).status == "released", timeout=180)
        _exactly_once(running)
        assert services.jobs_recover(stale_queued_after=0) >= 1  # the lost message is sent again
        _wait(lambda: GenerationJob.objects.get(pk=waiting.pk).status == "released", timeout=180)
        _exactly_once(waiting)
    finally:
        _use_broker(real_broker, old_url)
        workers.stop_all()
        workers.procs.clear()
        if redis_proc.poll() is None:
            os.killpg(redis_proc.pid, signal.SIGKILL)
