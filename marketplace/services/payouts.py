"""Payouts: a scheduled run pays every ready payee whose balance reaches the minimum, one transfer
per payee and currency per run, exactly once.

How exactly-once holds, whatever happens to the run:
- Reserving: for each payee, in one transaction with their payable account locked, a Payout row
  is written and its amount moved from payable to in transit. The database allows one reserved
  payout per payee and currency (a partial unique index), so two runs at once cannot both reserve.
- Sending, outside any transaction: the transfer carries the payout's id as its idempotency key
  and names `payout_<id>` as its transfer group. A retry after a crash (or a second run sending
  the same payout) either gets the same transfer back from the provider or, when the payout was
  attempted before, finds it by transfer group first (idempotency keys expire; rows do not).
- Recording: the transfer id is unique, and marking paid happens once under the payout's lock.
- A run resumes every payout left reserved by a run that died. On PostgreSQL a session advisory
  lock keeps runs from overlapping (released by the database if the process is killed); it saves
  work, the guarantees above do not depend on it.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from ..db import run_lock
from ..models import LedgerAccount, LedgerEntry, LedgerTransaction, PayeeAccount, Payout, PayoutRun, TransferReversal
from ..payments import GatewayDeclined, GatewayError, gateway
from .ledger import Posting, account_balance, account_for, accounts_for, accounts_lock, ledger_post, ledger_post_many

log = logging.getLogger(__name__)
TK = LedgerTransaction.Kind
RUN_LOCK = "rightscast.marketplace.payout_run"


def _tell_payee(payout: Payout, payee=None) -> None:
    """The payee hears that a payout was sent or failed (in the recording transaction; the e-mail
    after commit, as their settings say), with a link to their earnings and payout account."""
    from accounts.display import money
    from accounts.notifications import Kind, notify

    amount = money(payout.amount_minor, payout.currency, locale="en_GB")
    if payout.status == Payout.Status.PAID:
        title, body = f"Payout sent: {amount}", "The transfer to your payout account is on its way."
    else:
        title = f"Payout failed: {amount} is back in your balance"
        body = "Your payout account refused the transfer. Check its details; the amount goes out on the next payout run."
    notify(user=payee or payout.payee, kind=Kind.PAYOUT, title=title, body=body, url="/talent/earnings/#payouts", once_key=f"payout-{payout.status}:{payout.pk}")


def payout_candidates(*, minimum: int) -> list[tuple[int, int, str]]:
    """(payable account id, payee id, currency) for every ready payee owed at least `minimum`."""
    ready = PayeeAccount.objects.filter(
        account_id__isnull=False, details_submitted=True, payouts_enabled=True, transfers_active=True
    ).values("user_id")
    rows = (
        LedgerAccount.objects.filter(kind=LedgerAccount.Kind.PAYABLE, owner_id__in=ready)
        .annotate(balance=Sum("entries__amount_minor"))
        .filter(balance__lte=-minimum)
        .order_by("pk")
        .values_list("pk", "owner_id", "currency")
    )
    return list(rows)


def source_charge_for(*, payable: LedgerAccount, amount: int) -> str:
    """A charge that can fund a transfer of `amount` to this payee on its own (Stripe's
    `source_transaction`): the newest sale credited to the payee's payable account whose charge
    still has room for it (a charge funds transfers up to its amount, across all payees). Empty
    when none does (the transfer then draws on the available balance)."""
    sales = (
        LedgerEntry.objects.filter(account=payable, transaction__kind=TK.SALE, amount_minor__lt=0, transaction__external_id__startswith="ch_")
        .order_by("-transaction_id")
        .values_list("transaction__external_id", "transaction__order__amount_minor")[:20]
    )
    for charge_id, charge_amount in sales:
        used = Payout.objects.filter(source_transaction=charge_id).exclude(status=Payout.Status.FAILED).aggregate(t=Sum("amount_minor"))["t"] or 0
        if charge_amount and used + amount <= charge_amount:
            return charge_id
    return ""


def payout_reserve(*, run: PayoutRun, payable_id: int, minimum: int) -> Payout | None:
    with transaction.atomic():
        payable = LedgerAccount.objects.get(pk=payable_id)
        accounts_lock([payable])
        owed = -account_balance(payable)
        if owed < max(minimum, 1):
            return None
        payee = PayeeAccount.objects.filter(user_id=payable.owner_id).first()
        if payee is None or not payee.is_ready:
            return None
        if Payout.objects.filter(payee_id=payable.owner_id, currency=payable.currency, status=Payout.Status.RESERVED).exists():
            return None
        try:
            with transaction.atomic():
                payout = Payout.objects.create(
                    run=run, payee_id=payable.owner_id, destination=payee.account_id, amount_minor=owed, currency=payable.currency,
                    source_transaction=source_charge_for(payable=payable, amount=owed),
                )
        except IntegrityError:
            return None
        in_transit = account_for(kind=LedgerAccount.Kind.IN_TRANSIT, currency=payable.currency, owner=payable.owner_id)
        ledger_post(
            key=f"payout-reserved-{payout.pk}", kind=TK.PAYOUT_RESERVED, description=f"Payout {payout.pk} started",
            lines=[(payable, owed), (in_transit, -owed)],
        )
    return payout


def payout_send(*, payout_id: int) -> Payout:
    payout = Payout.objects.get(pk=payout_id)
    if payout.status != Payout.Status.RESERVED:
        return payout
    Payout.objects.filter(pk=payout.pk, status=Payout.Status.RESERVED).update(attempts=F("attempts") + 1)
    gw = gateway()
    try:
        transfer_id = _transfer(gw, payout)
    except GatewayDeclined as exc:
        return payout_fail(payout_id=payout.pk, reason=exc.message)
    except GatewayError as exc:
        _outcome_unknown(payout, payout.attempts + 1, exc)
        return Payout.objects.get(pk=payout.pk)
    return payout_mark_paid(payout_id=payout.pk, transfer_id=transfer_id)


def _transfer(gw, payout: Payout) -> str:
    """The payout's transfer: the one an earlier attempt made (found by its transfer group; `payout`
    as read before this attempt was counted), else a new one keyed by the payout. The gateway's
    errors go to the caller."""
    transfer_id = gw.find_transfer(transfer_group=payout.transfer_group) if payout.attempts > 0 else None
    if transfer_id is None:
        transfer_id = gw.create_transfer(
            key=payout.idempotency_key, amount_minor=payout.amount_minor, currency=payout.currency,
            destination=payout.destination, transfer_group=payout.transfer_group,
            metadata={"payout_id": payout.pk, "run_id": payout.run_id, "payee_id": payout.payee_id},
            source_transaction=payout.source_transaction or None,
        )
    return transfer_id


def _outcome_unknown(payout: Payout, attempts: int, exc: Exception) -> None:
    """The provider did not answer: retry on the next run, until PAYOUT_MAX_ATTEMPTS; then stop
    and show the error (the payout stays in transit: the transfer may have been made, so it is
    never returned to the balance on a guess; finance retries it or resolves it)."""
    limit = max(int(getattr(settings, "PAYOUT_MAX_ATTEMPTS", 5)), 1)
    if attempts >= limit:
        log.error("payout %s: transfer outcome unknown after %s attempts, giving up: %s", payout.pk, attempts, exc)
        Payout.objects.filter(pk=payout.pk, status=Payout.Status.RESERVED).update(
            error=f"The payment provider did not confirm the transfer after {attempts} attempts: {exc}"[:2000], gave_up_at=timezone.now(),
        )
    else:
        log.warning("payout %s: transfer outcome unknown, will retry: %s", payout.pk, exc)
        Payout.objects.filter(pk=payout.pk).update(error=f"Attempt {attempts} of {limit} did not get an answer: {exc}"[:2000])


def payout_retry(*, payout_id: int, actor) -> Payout:
    """Finance: try a payout that was given up on again (the attempt count starts afresh)."""
    from accounts.errors import Conflict, Forbidden

    if not getattr(actor, "is_staff", False):
        raise Forbidden("Only finance staff can retry payouts.")
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != Payout.Status.RESERVED or payout.gave_up_at is None:
            raise Conflict("Only a payout that was given up on can be retried.")
        payout.gave_up_at = None
        payout.attempts = 1  # > 0: the next send looks the transfer up by its group before creating one
        payout.save(update_fields=["gave_up_at", "attempts"])
    return payout_send(payout_id=payout.pk)


def payout_mark_paid(*, payout_id: int, transfer_id: str) -> Payout:
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != Payout.Status.RESERVED:
            return payout
        payout.status = Payout.Status.PAID
        payout.transfer_id = transfer_id
        payout.paid_at = timezone.now()
        payout.error = ""
        payout.save(update_fields=["status", "transfer_id", "paid_at", "error"])
        payout.settled_now = True  # this call moved it (another run may be sending it too)
        _tell_payee(payout)
        ledger_post(
            key=f"payout-sent-{payout.pk}", kind=TK.PAYOUT_SENT, description=f"Payout {payout.pk} transferred",
            lines=[
                (account_for(kind=LedgerAccount.Kind.IN_TRANSIT, currency=payout.currency, owner=payout.payee_id), payout.amount_minor),
                (account_for(kind=LedgerAccount.Kind.CLEARING, currency=payout.currency), -payout.amount_minor),
            ],
            external_id=transfer_id,
        )
    return payout


def payout_fail(*, payout_id: int, reason: str) -> Payout:
    """The provider refused the transfer: the amount goes back to the payee's balance for a later run."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != Payout.Status.RESERVED:
            return payout
        payout.status = Payout.Status.FAILED
        payout.error = reason[:2000]
        payout.save(update_fields=["status", "error"])
        payout.settled_now = True
        _tell_payee(payout)
        ledger_post(
            key=f"payout-failed-{payout.pk}", kind=TK.PAYOUT_FAILED, description=f"Payout {payout.pk} failed: back to balance",
            lines=[
                (account_for(kind=LedgerAccount.Kind.IN_TRANSIT, currency=payout.currency, owner=payout.payee_id), payout.amount_minor),
                (account_for(kind=LedgerAccount.Kind.PAYABLE, currency=payout.currency, owner=payout.payee_id), -payout.amount_minor),
            ],
        )
    return payout


def payout_run(*, triggered_by: str = "schedule", minimum: int | None = None, use_lock: bool = True) -> PayoutRun | None:
    """One payout run. Returns None when another run holds the lock."""
    minimum = settings.PAYOUT_MINIMUM_MINOR if minimum is None else minimum
    if not use_lock:
        return _run(triggered_by=triggered_by, minimum=minimum)
    with run_lock(RUN_LOCK) as acquired:
        if not acquired:
            log.info("payout run skipped: another run is in progress")
            return None
        return _run(triggered_by=triggered_by, minimum=minimum)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _run(*, triggered_by: str, minimum: int) -> PayoutRun:
    run = PayoutRun.objects.create(triggered_by=triggered_by)
    size = max(int(getattr(settings, "PAYOUT_BATCH_SIZE", 100)), 1)
    reserved = paid = failed = 0
    for chunk in _chunks([pk for pk, _, _ in payout_candidates(minimum=minimum)], size):
        reserved += payouts_reserve_many(run=run, payable_ids=chunk, minimum=minimum)
    # Every reserved payout: this run's, and any a run that died left behind.
    stuck = Payout.objects.filter(status=Payout.Status.RESERVED, gave_up_at__isnull=True).order_by("pk")
    for chunk in _chunks(list(stuck.values_list("pk", flat=True)), size):
        p, f = payouts_send_many(payout_ids=chunk)
        paid += p
        failed += f
    PayoutRun.objects.filter(pk=run.pk).update(
        status=PayoutRun.Status.FINISHED, reserved=reserved, paid=paid, failed=failed, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def payouts_reserve_many(*, run: PayoutRun, payable_ids: list[int], minimum: int) -> int:
    """`payout_reserve` for many payees in one transaction (accounts locked in id order). If the
    database refuses the batch (another run reserved one of them meanwhile), each is tried alone."""
    try:
        with transaction.atomic():
            accounts = list(LedgerAccount.objects.select_for_update().filter(pk__in=payable_ids).order_by("pk"))
            owners = [a.owner_id for a in accounts]
            balances = dict(
                LedgerEntry.objects.filter(account_id__in=payable_ids).values("account_id").annotate(t=Sum("amount_minor")).values_list("account_id", "t")
            )
            payees = {p.user_id: p for p in PayeeAccount.objects.filter(user_id__in=owners)}
            busy = set(Payout.objects.filter(payee_id__in=owners, status=Payout.Status.RESERVED).values_list("payee_id", "currency"))
            todo = []
            for account in accounts:
                owed = -int(balances.get(account.pk) or 0)
                payee = payees.get(account.owner_id)
                if owed < max(minimum, 1) or payee is None or not payee.is_ready or (account.owner_id, account.currency) in busy:
                    continue
                todo.append((account, Payout(run=run, payee_id=account.owner_id, destination=payee.account_id, amount_minor=owed,
                                             currency=account.currency, source_transaction=source_charge_for(payable=account, amount=owed))))
            if not todo:
                return 0
            created = Payout.objects.bulk_create([p for _, p in todo])
            transit = accounts_for({(LedgerAccount.Kind.IN_TRANSIT, a.owner_id, a.currency) for a, _ in todo})
            ledger_post_many([
                Posting(key=f"payout-reserved-{p.pk}", kind=TK.PAYOUT_RESERVED, description=f"Payout {p.pk} started",
                        lines=[(a, p.amount_minor), (transit[(LedgerAccount.Kind.IN_TRANSIT, a.owner_id, a.currency)], -p.amount_minor)])
                for (a, _), p in zip(todo, created)
            ])
            return len(created)
    except IntegrityError:
        return sum(payout_reserve(run=run, payable_id=pk, minimum=minimum) is not None for pk in payable_ids)


def payouts_send_many(*, payout_ids: list[int]) -> tuple[int, int]:
    """Send reserved payouts: the attempt is recorded first, the transfers are made outside any
    transaction (each keyed by its payout), then the outcomes are recorded together. A run that
    dies in between leaves attempted payouts that the next run finds by transfer group."""
    payouts = list(Payout.objects.filter(pk__in=payout_ids, status=Payout.Status.RESERVED).order_by("pk"))
    if not payouts:
        return 0, 0
    Payout.objects.filter(pk__in=[p.pk for p in payouts], status=Payout.Status.RESERVED).update(attempts=F("attempts") + 1)
    gw = gateway()
    outcomes: dict[int, tuple[str, str]] = {}
    for payout in payouts:
        try:
            outcomes[payout.pk] = ("paid", _transfer(gw, payout))
        except GatewayDeclined as exc:
            outcomes[payout.pk] = ("failed", exc.message)
        except GatewayError as exc:
            _outcome_unknown(payout, payout.attempts + 1, exc)
    return payouts_record_many(outcomes=outcomes)


def payouts_record_many(*, outcomes: dict[int, tuple[str, str]]) -> tuple[int, int]:
    """Record transfers made ("paid", transfer id) and refused ("failed", reason), once each."""
    if not outcomes:
        return 0, 0
    now = timezone.now()
    with transaction.atomic():
        payouts = list(Payout.objects.select_for_update().filter(pk__in=list(outcomes), status=Payout.Status.RESERVED).order_by("pk"))
        keys = set()
        for p in payouts:
            keys |= {(LedgerAccount.Kind.IN_TRANSIT, p.payee_id, p.currency), (LedgerAccount.Kind.CLEARING, None, p.currency),
                     (LedgerAccount.Kind.PAYABLE, p.payee_id, p.currency)}
        acct = accounts_for(keys)
        postings, paid, failed = [], 0, 0
        for p in payouts:
            status, detail = outcomes[p.pk]
            transit = acct[(LedgerAccount.Kind.IN_TRANSIT, p.payee_id, p.currency)]
            if status == "paid":
                p.status, p.transfer_id, p.paid_at, p.error = Payout.Status.PAID, detail, now, ""
                postings.append(Posting(key=f"payout-sent-{p.pk}", kind=TK.PAYOUT_SENT, description=f"Payout {p.pk} transferred",
                                        lines=[(transit, p.amount_minor), (acct[(LedgerAccount.Kind.CLEARING, None, p.currency)], -p.amount_minor)],
                                        external_id=detail))
                paid += 1
            else:
                p.status, p.error = Payout.Status.FAILED, detail[:2000]
                postings.append(Posting(key=f"payout-failed-{p.pk}", kind=TK.PAYOUT_FAILED, description=f"Payout {p.pk} failed: back to balance",
                                        lines=[(transit, p.amount_minor), (acct[(LedgerAccount.Kind.PAYABLE, p.payee_id, p.currency)], -p.amount_minor)]))
                failed += 1
        Payout.objects.bulk_update(payouts, ["status", "transfer_id", "paid_at", "error"])
        ledger_post_many(postings)
        from accounts.models import User

        payees = User.objects.in_bulk({p.payee_id for p in payouts})
        for p in payouts:
            _tell_payee(p, payees[p.payee_id])
    return paid, failed


def transfer_reversals_sync(*, obj: dict) -> int:
    """transfer.reversed / transfer.updated: money pulled back from a payee's connected account
    returns to the platform, and the payee is owed it again (a refund or lost dispute has already
    debited them where that is why). Each reversal posts once."""
    payout = Payout.objects.filter(transfer_id=obj["id"]).first()
    if payout is None:
        return 0
    count = 0
    for rev in ((obj.get("reversals") or {}).get("data") or []):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    reversal = TransferReversal.objects.create(
                        payout=payout, provider_reversal_id=rev["id"], amount_minor=int(rev["amount"]), currency=payout.currency
                    )
            except IntegrityError:
                continue
            ledger_post(
                key=f"transfer-reversal-{rev['id']}", kind=TK.TRANSFER_REVERSAL, description=f"Payout {payout.pk} reversed",
                lines=[
                    (account_for(kind=LedgerAccount.Kind.CLEARING, currency=payout.currency), reversal.amount_minor),
                    (account_for(kind=LedgerAccount.Kind.PAYABLE, currency=payout.currency, owner=payout.payee_id), -reversal.amount_minor),
                ],
                external_id=rev["id"],
            )
            count += 1
    return count

