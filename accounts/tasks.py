from celery import shared_task

from . import idempotency


@shared_task(name="accounts.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge() -> int:
    """Beat: delete Idempotency-Keys past their TTL. Idempotent (a second run finds none)."""
    return idempotency.idempotency_keys_purge()
