"""Celery tasks of the rights core. Each takes ids (or nothing), re-reads the rows, calls a
service, and is idempotent. Scheduled by beat (config.settings CELERY_BEAT_SCHEDULE), which the
embedded default runs in-process too (generation.worker)."""
from celery import shared_task


@shared_task(name="licensing.tasks.minors_coming_of_age")
def minors_coming_of_age() -> int:
    """Beat, daily: a person held by a guardian who turned 18 is asked to take over."""
    from .services import minors_coming_of_age as ask

    return len(ask())


@shared_task(name="licensing.tasks.notices_end")
def notices_end() -> int:
    """Beat: revoked licences whose notice period ended take their last effect."""
    from .services import notices_end_due

    return len(notices_end_due())


@shared_task(name="licensing.tasks.licences_expiring")
def licences_expiring() -> int:
    """Beat, hourly: licensees whose licence ends within a week are told once, with a link to extend."""
    from .services import licences_expiring_notify

    return licences_expiring_notify()
