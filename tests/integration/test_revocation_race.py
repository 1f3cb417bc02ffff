"""No job may start after a revocation commits: many jobs race a revocation on PostgreSQL, and
every job that started, started before the revocation's commit."""
import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from generation import services as gen
from generation.models import GenerationJob, JobTransition
from licensing import services as licensing
from licensing.models import AuditEvent
from tests.factories import granted_licence


@pytest.mark.django_db(transaction=True)
def test_no_job_starts_after_a_revocation_commits(real_broker, builtin_model, settings):
    assert connection.vendor == "postgresql"
    settings.CONTENT_SCREENING_SEMANTIC = False  # the race, not the screen, is under test
    real_broker.control.purge()
    licence = granted_licence(quota=12)
    briefs = [gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=f"race {i}", seed=i) for i in range(10)]
    real_broker.control.purge()  # the jobs are run by the threads below, not a worker
    jobs = [b.job.pk for b in briefs]
    go = threading.Barrier(len(jobs) + 1)

    def start(job_id, delay):
        close_old_connections()
        try:
            go.wait(10)
            time.sleep(delay)
            gen.job_run(job_id=job_id)
        finally:
            connection.close()

    def revoke():
        close_old_connections()
        try:
            go.wait(10)
            time.sleep(0.01)
            licensing.likeness_revoke(likeness=licence.likeness, actor=licence.likeness.owner, reason="race")
        finally:
            connection.close()

    # The starts are spread over 2.7 s around the revocation (at 10 ms): the first ones race its
    # commit, the later ones come after it however slow a loaded machine makes the commit, so the
    # test always sees both sides (every start at once let all ten win on a fast run: CI, stop 23).
    threads = [threading.Thread(target=start, args=(j, i * 0.3)) for i, j in enumerate(jobs)]
    threads.append(threading.Thread(target=revoke))
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    real_broker.control.purge()

    revoked_at = AuditEvent.objects.get(action="likeness.revoked", object_id=str(licence.likeness.pk)).created_at
    started = JobTransition.objects.filter(job_id__in=jobs, to_status="running")
    for t in started:
        assert t.created_at <= revoked_at + timezone.timedelta(milliseconds=0), (t.created_at, revoked_at)
    statuses = list(GenerationJob.objects.filter(pk__in=jobs).values_list("status", flat=True))
    # Whatever started before the revocation finished into quarantine: nothing was released after it.
    assert "released" not in statuses or all(
        tr.created_at <= revoked_at for tr in JobTransition.objects.filter(job_id__in=jobs, to_status="released")
    )
    assert set(statuses) <= {"cancelled", "quarantined", "released"}
    assert statuses.count("cancelled") >= 1
