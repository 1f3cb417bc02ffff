"""One Checkout for several orders (a campaign's licences): a line item per order, one payment.
The paid webhook grants every order's licence in one transaction (all or none, retried as a
whole if anything unexpected fails); an order that can no longer be granted (cancelled, its
holding revoked since the checkout opened) is cancelled and its line refunded (one refund keyed
by the bundle, asked for after the grant commits: its price and its tax). With Stripe Tax, each
order carries its own line's tax, booked and invoiced as a single order's is. Idempotent: a second checkout request for the
same orders resumes the open bundle; a duplicate webhook finds the bundle paid.

The ledger sees the bundle's one charge as reconciliation needs it (services.reconcile: per
provider source, the clearing account's sum is the provider's net): every order's sale and tax is
posted under the bundle's charge id, and so is what the refused lines brought in (clearing to
refunds due, `bundle-refused-<id>`), so the charge's source holds the whole amount charged; the
provider's fees and conversion on it are booked under the same id by services.fees. The refund of
those lines is paid out (refunds due to clearing) under the refund's own id when the provider says
it succeeded, and put back if it later fails, each once; a failed refund is superseded by a new
attempt under its own key, a bounded number of times (`bundle_refund_apply`).

A dispute of the same charge and that refund are exclusive (the refused lines are paid back once):
no attempt is asked for while a dispute holds the charge's funds (`bundle_disputed_now`); a lost
dispute pays the lines back with the chargeback, clearing refunds due from the disputed account
(`bundle_refund_covered_by_dispute`), and only what it did not return is asked for afterwards; a
refund the provider lets through beside it is booked, the part paid twice, as the platform's loss,
taken back if that refund later fails."""
from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from accounts.errors import Conflict, DomainError, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence

from ..models import CheckoutBundle, Dispute, LedgerAccount, LedgerTransaction, Order
from ..payments import CheckoutRequest, GatewayDeclined, GatewayError, gateway_for
from ..payments.offline import OfflineGateway
from .checkouts import payment_must_match
from .invoices import checkout_tax
from .ledger import account_for, ledger_post
from .orders import order_cancel, order_mark_paid, order_transition
from .provider import provider_call

log = logging.getLogger(__name__)
MAX_LINES = 100  # Stripe Checkout's own limit on line items
# Stripe's refund `failure_reason` codes, in the words finance reads on its page (an unknown code: its words)
REFUND_FAILURES = {
    "charge_for_pending_refund_disputed": "the charge is disputed", "declined": "declined by the card's bank",
    "expired_or_canceled_card": "the card has expired or was cancelled", "insufficient_funds": "not enough funds on the account",
    "lost_or_stolen_card": "the card was reported lost or stolen", "merchant_request": "cancelled by us", "unknown": "no reason given",
}
B = CheckoutBundle.Status
K, TK = LedgerAccount.Kind, LedgerTransaction.Kind


def bundle_checkout_create(*, buyer: User, orders: list[Order], title: str, return_url: str) -> CheckoutBundle:
    """A hosted Checkout for `orders` (the buyer's, pending, paid, one currency), or the open one
    already made for exactly these orders. The bundle is written first (the orders point at it,
    under their row locks); the provider is called after, outside any transaction, keyed by it."""
    ids = sorted({o.pk for o in orders}, key=str)
    if not ids:
        raise InvalidInput("Nothing is waiting for payment.")
    if len(ids) > MAX_LINES:
        raise InvalidInput(f"One checkout holds at most {MAX_LINES} licences.")
    with transaction.atomic():
        locked = list(Order.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(locked) != len(ids) or any(o.buyer_id != buyer.pk for o in locked):
            raise Forbidden("These are not all your orders.")
        if any(o.status != Order.Status.PENDING for o in locked):
            raise Conflict("Some of these licences are no longer waiting for payment; reload and try again.")
        if any(o.amount_minor == 0 for o in locked) or len({o.currency for o in locked}) != 1:
            raise InvalidInput("One checkout is for paid licences in one currency.")
        open_bundles = {o.bundle_id for o in locked}
        if len(open_bundles) == 1 and None not in open_bundles:
            bundle = CheckoutBundle.objects.get(pk=open_bundles.pop())
            if bundle.status == B.PENDING and set(bundle.orders.values_list("pk", flat=True)) == set(ids):
                existing = bundle
            else:
                existing = None
        else:
            existing = None
        if existing is None:
            if any(o.bundle_id for o in locked if CheckoutBundle.objects.filter(pk=o.bundle_id, status=B.PENDING).exists()):
                raise Conflict("Some of these licences are already in another open checkout.")
            backends = {o.payment_backend for o in locked}
            if len(backends) != 1:
                raise Conflict("These orders are paid through different payment backends.")
            existing = CheckoutBundle.objects.create(
                buyer=buyer, amount_minor=sum(o.amount_minor for o in locked), currency=locked[0].currency, payment_backend=backends.pop(),
            )
            Order.objects.filter(pk__in=ids).update(bundle=existing)
            licensing.audit_record(actor=buyer, action="checkout_bundle.created", obj=existing, data={"orders": [str(i) for i in ids]})
    bundle = existing
    if bundle.checkout_session_id:
        return bundle
    lines = tuple(
        (f"{o.offer.holding.name}: {o.offer.title}", o.amount_minor, str(o.pk))
        for o in Order.objects.filter(pk__in=ids).select_related("offer__likeness", "offer__ip_asset").order_by("pk")
    )
    session = provider_call(
        gateway_for(bundle.payment_backend).create_checkout,
        CheckoutRequest(
            key=f"checkout-bundle-{bundle.pk}", kind="bundle", reference=str(bundle.pk), amount_minor=bundle.amount_minor,
            currency=bundle.currency, title=title[:250], success_url=return_url, cancel_url=return_url,
            transfer_group=f"bundle_{bundle.pk.hex}", lines=lines,
        ),
    )
    CheckoutBundle.objects.filter(pk=bundle.pk, checkout_session_id__isnull=True).update(checkout_session_id=session.id, checkout_url=session.url)
    bundle.refresh_from_db()
    return bundle


def bundle_line_taxes(*, bundle: CheckoutBundle, checkout: dict | None, line_items: list[dict] | None) -> dict:
    """{order id: (tax, the line's Checkout shape for its invoice)} from the paid session's line
    items (each names its order in its metadata; Stripe gives each its `amount_tax` and, expanded,
    its `taxes` per rate). The lines' taxes must add up to the session's, every taxed line must be
    one of the bundle's orders and no order may have two: otherwise the tax cannot be attributed and
    nothing is granted (Conflict)."""
    total, _ = checkout_tax(checkout)
    ids = {str(pk) for pk in bundle.orders.values_list("pk", flat=True)}
    found: dict[str, tuple[int, dict]] = {}
    for item in line_items or ():
        tax = item.get("amount_tax") or 0
        if not isinstance(tax, int) or isinstance(tax, bool) or tax < 0:
            raise Conflict(f"A line of checkout {bundle.pk} carries a tax that is not a whole number of minor units.")
        order_id = str((item.get("metadata") or {}).get("order_id") or "")
        if order_id not in ids or order_id in found:
            if not tax:
                continue
            raise Conflict(f"Checkout {bundle.pk}'s line {item.get('id')} is taxed but names no order of it (or one twice).")
        found[order_id] = (tax, {"customer_details": (checkout or {}).get("customer_details"),
                                 "total_details": {"amount_tax": tax, "breakdown": {"taxes": item.get("taxes") or []}}})
    if sum(tax for tax, _ in found.values()) != total:
        raise Conflict(f"Checkout {bundle.pk}'s line items carry {sum(t for t, _ in found.values())} tax; the session, {total}.")
    return found


def bundle_mark_paid(*, bundle_id, reference: str, payment_intent_id: str | None = None, charge_id: str | None = None,
                     amount_minor: int | None = None, currency: str | None = None, checkout: dict | None = None,
                     line_items: list[dict] | None = None) -> CheckoutBundle:
    """The bundle's payment arrived: every order granted in one transaction, each with its line's
    tax (booked to tax_collected as `order_mark_paid` books an order's) and its invoice carrying the
    buyer as Checkout collected them; those that cannot be granted (a DomainError: cancelled,
    revoked since) are cancelled and their lines refunded with their tax after commit. A payment for
    another amount (the orders' plus the session's tax) or currency grants nothing (Conflict).
    `checkout`: the paid session; `line_items`: its line items (needed when it carries tax)."""
    with transaction.atomic():
        bundle = CheckoutBundle.objects.select_for_update().get(pk=bundle_id)
        if bundle.status == B.PAID:
            return bundle
        if bundle.status != B.PENDING:
            raise Conflict(f"The checkout is {bundle.status}; it cannot be paid.")
        tax, _ = checkout_tax(checkout)
        payment_must_match(noun=gettext("checkout"), amount_minor=amount_minor, currency=currency, price_minor=bundle.amount_minor,
                           price_currency=bundle.currency, tax=tax)
        taxes = bundle_line_taxes(bundle=bundle, checkout=checkout, line_items=line_items)
        refused = []
        for order in bundle.orders.order_by("pk"):
            line_tax, line = taxes.get(str(order.pk), (0, {"customer_details": (checkout or {}).get("customer_details")}))
            try:
                with transaction.atomic():  # one savepoint per line: a refused one leaves the others' grants standing
                    order_mark_paid(order_id=order.pk, reference=f"{reference} (checkout {bundle.pk})", checkout=line,
                                    paid_by_charge=charge_id or "")
            except DomainError as exc:
                refused.append((order, line_tax, exc.message))
        for order, _, why in refused:
            _void(order.pk, f"not granted when the checkout was paid: {why}"[:200])
        bundle.status, bundle.paid_at = B.PAID, timezone.now()
        bundle.payment_intent_id, bundle.charge_id = payment_intent_id or None, charge_id or None
        bundle.refund_minor = sum(o.amount_minor + line_tax for o, line_tax, _ in refused)  # a line's price and its tax
        bundle.save(update_fields=["status", "paid_at", "payment_intent_id", "charge_id", "refund_minor"])
        if bundle.refund_minor:  # received with the charge, owed back: the charge's source holds all it brought in
            ledger_post(
                key=f"bundle-refused-{bundle.pk}", kind=TK.REFUND, description=f"Checkout {bundle.pk}: lines not granted, owed back",
                lines=[(account_for(kind=K.CLEARING, currency=bundle.currency), bundle.refund_minor),
                       (account_for(kind=K.REFUNDS_DUE, currency=bundle.currency), -bundle.refund_minor)],
                external_id=bundle.charge_id or "",
            )
        licensing.audit_record(actor=None, action="checkout_bundle.paid", obj=bundle,
                               data={"granted": bundle.orders.filter(status=Order.Status.PAID).count(), "tax_minor": tax,
                                     "refused": [str(o.pk) for o, _, _ in refused]})
        if bundle.refund_minor:
            transaction.on_commit(lambda: bundle_refund_submit(bundle_id=bundle.pk))
    return bundle


def _void(order_id, reason: str) -> None:
    """A line that could not be granted: its order cancelled (its licence, if still pending,
    revoked with it; one revoked meanwhile stays as it is)."""
    licence = Licence.objects.select_for_update().get(pk=Order.objects.values_list("licence_id", flat=True).get(pk=order_id))
    if licence.status == Licence.Status.PENDING:
        order_cancel(order_id=order_id, reason=reason)
        return
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status == Order.Status.PENDING:
        order_transition(order=order, to=Order.Status.CANCELLED, reason=reason)


def _refund_attempt_suffix(attempt: int) -> str:
    """The first attempt keeps the keys it always had (`bundle-refund-<id>`); attempt n > 1 adds -n."""
    return "" if attempt <= 1 else f"-{attempt}"


def refund_max_attempts() -> int:
    return max(int(getattr(settings, "BUNDLE_REFUND_MAX_ATTEMPTS", 3)), 1)


def _open_disputes():
    """Disputes holding a charge's funds: open, and their withdrawal posted (an inquiry withdraws nothing)."""
    withdrawn = LedgerTransaction.objects.filter(kind=TK.DISPUTE_OPENED, external_id=OuterRef("provider_dispute_id"))
    return Dispute.objects.filter(status=Dispute.Status.OPEN).filter(Exists(withdrawn))


def bundle_disputed_now(bundle_id) -> bool:
    """A dispute of the bundle's charge holds its funds: no refund of its lines may go out (a lost
    dispute would pay them back a second time)."""
    return _open_disputes().filter(bundle_id=bundle_id).exists()


def bundle_refund_submit(*, bundle_id) -> None:
    """Refund the lines that were not granted, less what a lost dispute already returned (keyed by
    the bundle and the attempt: repeating makes no second refund). Nothing while a dispute of the
    charge is open. A transient failure leaves it for the next call (the refunds sweep, the bundle
    page); a refund the provider failed was cleared from the bundle and counted
    (`bundle_refund_apply`), so this asks again under the next attempt's key, until the limit."""
    if bundle_disputed_now(bundle_id):  # asked first: a loss committed after it is seen by the read below (same transaction)
        log.info("refund of checkout %s held: its charge is disputed", bundle_id)
        return
    bundle = CheckoutBundle.objects.get(pk=bundle_id)
    owed = bundle.refund_owed_minor
    if not owed or bundle.provider_refund_id or not bundle.payment_intent_id or bundle.refund_gave_up_at:
        return
    attempt = bundle.refund_attempts + 1
    try:
        result = gateway_for(bundle.payment_backend).create_refund(
            key=f"bundle-refund-{bundle.pk}{_refund_attempt_suffix(attempt)}", payment_intent_id=bundle.payment_intent_id,
            amount_minor=owed, metadata={"bundle_id": str(bundle.pk), "attempt": str(attempt)},
        )
    except (GatewayError, GatewayDeclined) as exc:
        log.warning("refund of checkout %s not made yet: %s", bundle.pk, exc)
        return
    bundle_refund_apply(bundle_id=bundle.pk, provider_refund_id=result.id, status=result.status, amount_minor=owed)


def bundle_refunds_submit_pending(*, limit: int = 100) -> int:
    """The sweep: paid bundles whose refund of refused lines is not asked for (a provider call that
    got no answer, or a failed refund's next attempt not yet made), except those a lost dispute paid
    back and those whose charge is disputed now."""
    held = _open_disputes().filter(bundle_id=OuterRef("pk"))
    ids = list(CheckoutBundle.objects.filter(status=B.PAID, refund_minor__gt=F("refund_disputed_minor"), provider_refund_id="",
                                             refund_gave_up_at=None)
               .exclude(payment_intent_id=None).exclude(Exists(held)).order_by("paid_at").values_list("pk", flat=True)[:limit])
    for pk in ids:
        bundle_refund_submit(bundle_id=pk)
    return len(ids)


def _settled_key(bundle: CheckoutBundle) -> str:
    return f"bundle-refund-settled-{bundle.pk}{_refund_attempt_suffix(bundle.refund_attempts + 1)}"


def bundle_refund_covered_by_dispute(*, bundle: CheckoutBundle, amount: int, dispute_id: str) -> int:
    """A lost dispute of the bundle's charge returned `amount` beyond what its orders could give back
    (`refunds.dispute_sync`, the bundle locked): that much of the refused lines still owed is paid
    back by it (refunds due cleared from the disputed account, once per dispute) and never asked for
    again. Returns the part covered; the rest (lines already refunded: paid twice) the caller books
    as the platform's loss, remembered here so that a refund failing later takes it back."""
    owed = 0 if LedgerTransaction.objects.filter(idempotency_key=_settled_key(bundle)).exists() else bundle.refund_owed_minor
    covered = min(amount, owed)
    if covered:
        ledger_post(key=f"dispute-lost-{dispute_id}-refused", kind=TK.DISPUTE_LOST,
                    description=f"Dispute lost: checkout {bundle.pk}'s lines not granted paid back by the chargeback",
                    lines=[(account_for(kind=K.REFUNDS_DUE, currency=bundle.currency), covered),
                           (account_for(kind=K.DISPUTED, currency=bundle.currency), -covered)], external_id=dispute_id)
    bundle.refund_disputed_minor += covered
    bundle.refund_doubled_minor += amount - covered
    fields = ["refund_disputed_minor", "refund_doubled_minor"]
    if covered and not bundle.refund_owed_minor and not bundle.provider_refund_id:
        bundle.refund_gave_up_at, bundle.refund_error = None, ""  # nothing left for finance to pay
        fields += ["refund_gave_up_at", "refund_error"]
    bundle.save(update_fields=fields)
    if bundle.refund_owed_minor:
        transaction.on_commit(lambda: bundle_refund_submit(bundle_id=bundle.pk))  # what the chargeback did not return
    licensing.audit_record(actor=None, action="checkout_bundle.refund_covered_by_dispute", obj=bundle,
                           data={"dispute": dispute_id, "covered": covered, "owed": bundle.refund_owed_minor})
    return covered


def bundle_dispute_closed(*, bundle_id) -> None:
    """A dispute of the bundle's charge won: a refund held while it was open may go now."""
    transaction.on_commit(lambda: bundle_refund_submit(bundle_id=bundle_id))


def bundle_refund_apply(*, bundle_id, provider_refund_id: str, status: str | None, failure_reason: str = "",
                        amount_minor: int | None = None) -> bool:
    """The provider's state of the bundle's refund (as created, or from its refund webhooks):
    succeeded pays out what refunds due holds for the refused lines, under the refund's id (the
    source of its balance transaction); failed after that puts it back (the provider's
    refund_failure moves it back under the same id). A failed refund (whenever it fails) is moved
    to `failed_refund_ids` and counted, and the next attempt is asked for after commit, under its
    own key, until BUNDLE_REFUND_MAX_ATTEMPTS; then the bundle waits for a person (finance page).
    `amount_minor`: what the refund paid (the provider's; by default what is owed): beyond what is
    owed (a lost dispute returned it already) it is the platform's loss, and a failure after success
    reverses exactly what its success posted. Each posting once (keyed by the bundle and the attempt; a failed refund's replayed webhooks
    post nothing). False for a refund that is not this bundle's."""
    with transaction.atomic():
        bundle = CheckoutBundle.objects.select_for_update().get(pk=bundle_id)
        if not bundle.refund_minor or not provider_refund_id:
            return False
        if provider_refund_id in bundle.failed_refund_ids:
            return True  # an attempt that failed and was handled: a replay (or its late created/updated) changes nothing
        if not bundle.provider_refund_id:
            bundle.provider_refund_id = provider_refund_id
            bundle.save(update_fields=["provider_refund_id"])
        elif bundle.provider_refund_id != provider_refund_id:
            log.warning("refund %s names checkout %s, whose refund is %s: not applied", provider_refund_id, bundle.pk, bundle.provider_refund_id)
            return False
        clearing = account_for(kind=K.CLEARING, currency=bundle.currency)
        due = account_for(kind=K.REFUNDS_DUE, currency=bundle.currency)
        platform = account_for(kind=K.PLATFORM_REVENUE, currency=bundle.currency)
        suffix = _refund_attempt_suffix(bundle.refund_attempts + 1)
        settled = _settled_key(bundle)
        done = LedgerTransaction.objects.filter(idempotency_key=settled).first()
        if status == "succeeded":
            if done is None:
                paid = amount_minor if isinstance(amount_minor, int) and not isinstance(amount_minor, bool) else bundle.refund_owed_minor
                to_due = min(paid, bundle.refund_owed_minor)
                twice = paid - to_due  # a lost dispute returned it already: paid back twice, the platform's loss
                ledger_post(key=settled, kind=TK.REFUND_SETTLED, description=f"Checkout {bundle.pk}: lines not granted, refunded",
                            lines=[(a, m) for a, m in ((due, to_due), (platform, twice), (clearing, -paid)) if m],
                            external_id=provider_refund_id)
                bundle.refund_doubled_minor += twice
                bundle.save(update_fields=["refund_doubled_minor"])
            if bundle.refund_error:  # an earlier attempt failed; this one went through: off finance's list
                bundle.refund_error = ""
                bundle.save(update_fields=["refund_error"])
        elif status in ("failed", "canceled"):
            if done is not None:  # exactly what its success posted, reversed
                posted = list(done.entries.select_related("account"))
                ledger_post(key=f"bundle-refund-unsettled-{bundle.pk}{suffix}", kind=TK.REFUND_UNSETTLED,
                            description=f"Checkout {bundle.pk}: refund of lines not granted returned by the provider",
                            lines=[(e.account, -e.amount_minor) for e in posted], external_id=provider_refund_id)
                bundle.refund_doubled_minor -= sum(e.amount_minor for e in posted if e.account_id == platform.pk)
            # a lost dispute already gave the buyer these lines back (booked as paid twice while this
            # refund was out): the dispute, not this refund, paid them
            back = min(bundle.refund_doubled_minor, bundle.refund_owed_minor)
            if back:
                ledger_post(key=f"bundle-refund-recovered-{bundle.pk}{suffix}", kind=TK.REFUND_UNSETTLED,
                            description=f"Checkout {bundle.pk}: lines not granted paid back by the lost dispute, not the refund",
                            lines=[(due, back), (platform, -back)], external_id=provider_refund_id)
                bundle.refund_doubled_minor -= back
                bundle.refund_disputed_minor += back
            limit = refund_max_attempts()
            bundle.failed_refund_ids = [*bundle.failed_refund_ids, provider_refund_id]
            bundle.provider_refund_id = ""
            bundle.refund_attempts += 1
            reason = REFUND_FAILURES.get(failure_reason, failure_reason.replace("_", " "))
            why = f" ({reason})" if reason else ""
            if not bundle.refund_owed_minor:  # a lost dispute paid the lines back: nothing to ask for
                bundle.refund_error = ""
            elif bundle_disputed_now(bundle.pk):
                bundle.refund_error = f"Attempt {bundle.refund_attempts} of {limit} failed{why}; held while the charge is disputed."[:255]
                log.warning("refund %s of checkout %s failed%s: held while its charge is disputed", provider_refund_id, bundle.pk, why)
                if bundle.refund_attempts >= limit:
                    bundle.refund_gave_up_at = timezone.now()
            elif bundle.refund_attempts >= limit:
                bundle.refund_gave_up_at = timezone.now()
                bundle.refund_error = f"The provider failed the refund {bundle.refund_attempts} times{why}: pay the buyer another way."[:255]
                log.error("refund %s of checkout %s failed%s, attempt %s of %s: giving up, %s owed to the buyer", provider_refund_id,
                          bundle.pk, why, bundle.refund_attempts, limit, bundle.refund_minor)
            else:
                bundle.refund_error = f"Attempt {bundle.refund_attempts} of {limit} failed{why}; asked again."[:255]
                log.warning("refund %s of checkout %s failed%s: %s owed to the buyer again, asking again", provider_refund_id, bundle.pk,
                            why, bundle.refund_minor)
                transaction.on_commit(lambda: bundle_refund_submit(bundle_id=bundle.pk))
            bundle.save(update_fields=["failed_refund_ids", "provider_refund_id", "refund_attempts", "refund_gave_up_at", "refund_error",
                                       "refund_disputed_minor", "refund_doubled_minor"])
            licensing.audit_record(actor=None, action="checkout_bundle.refund_failed", obj=bundle,
                                   data={"refund": provider_refund_id, "attempts": bundle.refund_attempts, "reason": failure_reason[:64],
                                         "gave_up": bool(bundle.refund_gave_up_at)})
    return True


def bundle_refund_retry(*, bundle_id, actor: User) -> CheckoutBundle:
    """Finance: one more attempt at a refund given up on (under the next attempt's key: an earlier
    key would only return its failed refund)."""
    if not actor.is_staff:
        raise Forbidden("Only finance can retry a refund.")
    with transaction.atomic():
        bundle = CheckoutBundle.objects.select_for_update().get(pk=bundle_id)
        if not bundle.refund_gave_up_at:
            raise Conflict("This checkout's refund is not given up on.")
        if not bundle.refund_owed_minor:
            raise Conflict("A lost dispute of this checkout's charge already paid its lines back.")
        if bundle_disputed_now(bundle.pk):
            raise Conflict("This checkout's charge is disputed: its refund waits for the dispute's outcome.")
        bundle.refund_gave_up_at, bundle.refund_error = None, ""
        bundle.save(update_fields=["refund_gave_up_at", "refund_error"])
        licensing.audit_record(actor=actor, action="checkout_bundle.refund_retried", obj=bundle, data={})
    bundle_refund_submit(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    return bundle


def bundle_cancel(*, bundle_id) -> CheckoutBundle:
    """The Checkout expired or its payment failed: the orders leave the bundle (still pending, so a
    new checkout can take them)."""
    with transaction.atomic():
        bundle = CheckoutBundle.objects.select_for_update().get(pk=bundle_id)
        if bundle.status != B.PENDING:
            return bundle
        bundle.status = B.CANCELLED
        bundle.save(update_fields=["status"])
        Order.objects.filter(bundle=bundle, status=Order.Status.PENDING).update(bundle=None)
    return bundle


def bundle_offline_complete(*, bundle: CheckoutBundle, buyer: User, pay: bool = True) -> CheckoutBundle:
    """The offline backend's checkout answered: the same event a hosted checkout sends."""
    from .events import payment_event_ingest

    if bundle.buyer_id != buyer.pk:
        raise Forbidden("This is someone else's checkout.")
    if bundle.payment_backend != "offline":
        raise Conflict("This checkout is paid through Stripe Checkout.")
    if bundle.status != B.PENDING:
        return bundle
    payment_event_ingest(backend="offline", event=OfflineGateway.bundle_event(bundle=bundle, paid=pay))
    bundle.refresh_from_db()
    return bundle
