"""A delivery of a job that another job's batch already took, or that has finished, claims nothing
and locks nothing (a batch of four leaves three such deliveries behind it); a job whose worker's
lease ran out is still taken over, and one whose worker is alive is left to it."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from generation import services as gen
from generation.models import GenerationJob
from tests.factories import granted_licence

pytestmark = pytest.mark.django_db


def _queued(licence, prompt="a portrait on a beach"):
    brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=prompt)
    return GenerationJob.objects.get(brief=brief)


def test_a_finished_job_delivered_again_reads_one_row_and_changes_nothing(builtin_model):
    job = _queued(granted_licence())
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "released"
    transitions = job.transitions.count()
    with CaptureQueriesContext(connection) as ctx:
        assert gen.job_run(job_id=job.pk) is None  # nothing to run
    job.refresh_from_db()
    assert job.status == "released" and job.transitions.count() == transitions
    assert len(ctx.captured_queries) == 1  # a few columns of the job's row: no lock, no claim
    assert not any("FOR UPDATE" in q["sql"] or q["sql"].startswith(("UPDATE", "INSERT")) for q in ctx.captured_queries)


def test_a_job_whose_workers_lease_ran_out_is_taken_over(builtin_model):
    job = _queued(granted_licence())
    GenerationJob.objects.filter(pk=job.pk).update(
        status="running", worker="gone:1", attempts=1, lease_expires_at=timezone.now() - timedelta(seconds=5)
    )
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "released" and job.attempts == 2 and job.output_sha256
    assert list(job.transitions.order_by("id").values_list("to_status", flat=True))[-4:] == ["queued", "running", "finishing", "released"]


def test_a_job_held_by_a_live_worker_is_left_to_it(builtin_model):
    job = _queued(granted_licence())
    GenerationJob.objects.filter(pk=job.pk).update(
        status="running", worker="alive:1", attempts=1, lease_expires_at=timezone.now() + timedelta(seconds=60)
    )
    gen.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts) == ("running", "alive:1", 1)
