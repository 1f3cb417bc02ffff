"""The periodic work and revocation's follow-ups, as the embedded default (`make run`) runs them:
Celery beat in-process on production's schedule; the refund paid as the revocation commits; a
notice period's end taking published outputs down."""
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from generation import services as gen
from generation.models import GenerationJob
from licensing import services as licensing
from licensing.models import AuditEvent, Licence

pytestmark = pytest.mark.django_db


def test_the_embedded_beat_runs_productions_schedule_and_every_task_exists():
    from config.celery import app
    from generation.worker import start_in_process_beat

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"{name}: no task named {entry['task']}"
    wanted = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "generation.tasks.approvals_lapse", "generation.tasks.licences_expire", "generation.tasks.jobs_recover",
        "marketplace.tasks.refunds_pending", "marketplace.tasks.payout_run_scheduled", "licensing.tasks.notices_end",
        "licensing.tasks.minors_coming_of_age",
    } <= wanted
    service = start_in_process_beat()
    try:
        deadline = time.monotonic() + 20
        scheduler = None
        while time.monotonic() < deadline:
            scheduler = service.service.__dict__.get("scheduler")  # built by the thread as it starts
            if scheduler is not None and scheduler.schedule:
                break
            time.sleep(0.1)
        assert service.is_alive()
        running = {name: entry for name, entry in scheduler.schedule.items() if not name.startswith("celery.")}
        assert set(running) == set(settings.CELERY_BEAT_SCHEDULE)
        for name, entry in running.items():
            expected = settings.CELERY_BEAT_SCHEDULE[name]["schedule"]
            got = entry.schedule
            assert (got.run_every.total_seconds() == expected) if isinstance(expected, float) else (got == expected), name
    finally:
        service.stop()


def test_the_pro_rata_refund_is_paid_as_the_revocation_commits(django_capture_on_commit_callbacks):
    from marketplace.models import Refund
    from tests.factories import active_licence

    licence, order, _ = active_licence(price_minor=10_000)
    with django_capture_on_commit_callbacks(execute=True):
        licensing.licence_revoke(licence=licence, actor=licence.likeness.owner, reason="talent revoked")
    refund = Refund.objects.get(order=order)
    assert refund.reason == "revocation" and 9_900 <= refund.amount_minor <= 10_000
    assert refund.status == "succeeded"  # the offline backend settles at once


def test_when_the_notice_period_ends_the_outputs_come_down(django_capture_on_commit_callbacks, builtin_model, settings):
    from tests.factories import granted_licence

    settings.CONTENT_SCREENING_SEMANTIC = False
    licence = granted_licence()
    with django_capture_on_commit_callbacks(execute=True):
        brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a portrait for the notice test")
    job = GenerationJob.objects.get(brief=brief)
    assert job.status == "released" and job.output
    licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, notice_period_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        licensing.licence_revoke(licence=licence, actor=licence.likeness.owner, reason="revoked")
    licence.refresh_from_db()
    assert licence.notice_ends_at > timezone.now() + timedelta(days=2)
    # During the notice, published outputs stay up.
    assert licensing.notices_end_due() == []
    job.refresh_from_db()
    assert job.taken_down_at is None
    # When it ends, they come down (once), and the licence records it.
    with django_capture_on_commit_callbacks(execute=True):
        assert licensing.notices_end_due(now=licence.notice_ends_at + timedelta(seconds=1)) == [str(licence.pk)]
    assert licensing.notices_end_due(now=licence.notice_ends_at + timedelta(days=1)) == []
    job.refresh_from_db()
    assert job.taken_down_at and not job.output and "notice period" in job.takedown_reason
    assert Licence.objects.get(pk=licence.pk).notice_ended_at
    assert AuditEvent.objects.filter(action="licence.notice_ended", object_id=str(licence.pk)).count() == 1
