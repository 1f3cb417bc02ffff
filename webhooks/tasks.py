from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def deliver(delivery_id: str) -> None:
    """One attempt; on failure the next is scheduled with exponential backoff. Idempotent: a
    duplicate message finds the delivery claimed, done or not yet due, and does nothing."""
    retry_in = services.delivery_attempt(delivery_id=delivery_id)
    if retry_in is not None:
        deliver.apply_async((delivery_id,), countdown=retry_in)


@shared_task(ignore_result=True)
def deliveries_sweep() -> int:
    due = services.deliveries_due()
    for pk in due:
        deliver.delay(str(pk))
    return len(due)
