"""Celery tasks of the money side. Each takes ids (or nothing), re-reads the rows, calls a service,
and is idempotent: running one twice has the effect of running it once."""
from celery import shared_task


@shared_task(name="marketplace.tasks.payout_run_scheduled")
def payout_run_scheduled() -> int | None:
    """Celery beat: one payout run (skipped if one is already running)."""
    from .services import payout_run

    run = payout_run(triggered_by="schedule")
    return run.pk if run else None


@shared_task(name="marketplace.tasks.payment_events_retry")
def payment_events_retry() -> int:
    from .services import payment_events_retry as retry

    return retry()


@shared_task(name="marketplace.tasks.refunds_pending")
def refunds_pending() -> int:
    """Revocation's pro-rata refunds (licensing RefundDue rows) and refunds whose provider call
    did not get an answer, and campaign checkouts' refunds of lines not granted not yet asked for
    (no answer, or the next attempt after the provider failed one)."""
    from .services import refunds_submit_pending, revocation_refunds_sweep
    from .services.bundles import bundle_refunds_submit_pending

    return revocation_refunds_sweep() + refunds_submit_pending() + bundle_refunds_submit_pending()


@shared_task(name="marketplace.tasks.revocation_refund_settle")
def revocation_refund_settle(refund_due_id: int) -> int | None:
    """Licensing's revocation, on commit: pay the pro-rata refund now (once per RefundDue; the
    `refunds_pending` sweep retries what this could not do)."""
    from .services import revocation_refund_settle as settle

    settlement = settle(refund_due_id=refund_due_id)
    return settlement.pk if settlement else None


@shared_task(name="marketplace.tasks.payment_event_process")
def payment_event_process(event_pk: int) -> str:
    from .services import payment_event_process as process

    return process(event_pk=event_pk).status


@shared_task(name="marketplace.tasks.provider_fees_sync")
def provider_fees_sync() -> int:
    """Book the provider's fees from its recent balance transactions (the last two days: a fee
    whose source was late is booked on a later run)."""
    import time

    from .services.fees import provider_fees_sync as sync

    return sync(since=int(time.time()) - 2 * 86400)["booked"]
