"""Reads of the marketplace, and its permission-checked fetches (`access_*`). Every balance is
derived from ledger entries."""
from __future__ import annotations

import csv
import io

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.urls import reverse

from accounts.errors import Forbidden, get_or_not_found
from accounts.models import User
from licensing.models import IPAsset, Likeness
from licensing.selectors import likeness_list_listed

from .models import (
    CreditTopUp,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Offer,
    Order,
    PayeeAccount,
    Payout,
    UsageCharge,
)

K = LedgerAccount.Kind
TK = LedgerTransaction.Kind


def listing_list() -> QuerySet[Likeness]:
    """The marketplace: listed likenesses with their active offers."""
    return likeness_list_listed().prefetch_related(
        Prefetch("offers", queryset=Offer.objects.filter(is_active=True).select_related("terms").order_by("price_minor"))
    )


def ip_listing_list() -> QuerySet[IPAsset]:
    """Studios' listed (opted-in) IP assets with their active offers."""
    return (
        IPAsset.objects.filter(status=IPAsset.Status.LISTED, opted_in_at__isnull=False)
        .select_related("studio")
        .prefetch_related(Prefetch("offers", queryset=Offer.objects.filter(is_active=True).select_related("terms").order_by("price_minor")))
        .order_by("name")
    )


def access_ip_asset_public(*, asset_id) -> IPAsset:
    return get_or_not_found(ip_listing_list(), "No such character or IP asset.", pk=asset_id)


def offer_list_for_ip_asset(*, asset: IPAsset) -> QuerySet[Offer]:
    return asset.offers.select_related("terms").order_by("-created_at")


def access_licence_held(*, user: User, licence_id):
    from licensing.models import Licence

    return get_or_not_found(Licence.objects.select_related("terms", "likeness", "ip_asset"), "No such licence.", pk=licence_id, licensee=user)


ADDON_PAID = ("paid", "refunded")  # an add-on that was paid for (and may have been refunded since)


def addons_for_licence(*, licence) -> QuerySet:
    from .models import LicenceAddOn

    return LicenceAddOn.objects.filter(licence=licence).select_related("invoice").prefetch_related("refunds__credit_note").order_by("-created_at")


def addon_refunds(addon) -> dict:
    """What went back of a paid add-on (refunds not failed, their credit notes, disputes lost), as
    `receipt_for` states an order's; `refunds__credit_note` and `disputes` prefetched save queries."""
    refunds = [r for r in addon.refunds.all() if r.status != r.Status.FAILED]
    refunded = sum(r.amount_minor for r in refunds)
    return {
        "refunds": refunds,
        "credit_notes": [n for n in (getattr(r, "credit_note", None) for r in refunds) if n],  # once the provider confirmed the refund
        "refunded_minor": refunded,
        "refunded_tax_minor": sum(r.tax_minor for r in refunds),
        "disputed_minor": sum(d.amount_minor for d in addon.disputes.all() if d.status == d.Status.LOST),
    }


def licence_addon_revocation_refunds(*, licence_id) -> list:
    """The refunds of a licence's add-ons that its revocation made (the unused part of each), or
    that gave back an add-on paid after the licence ended, for the order's receipt beside its own."""
    from .models import Refund

    return list(Refund.objects.filter(addon__licence_id=licence_id, reason__in=(Refund.Reason.REVOCATION, Refund.Reason.NOT_APPLIED))
                .exclude(status=Refund.Status.FAILED).select_related("addon", "credit_note").order_by("created_at"))


def addon_invoice_for(*, user: User, addon_id) -> dict:
    """A paid add-on's invoice, for its buyer only (anyone else's, or an unpaid one's: not found),
    in the shape the invoice page reads (as `receipt_for`'s), with what was refunded since."""
    from .models import Invoice

    invoice = get_or_not_found(
        Invoice.objects.select_related("addon").prefetch_related("addon__refunds__credit_note", "addon__disputes"), "No such invoice.",
        addon_id=addon_id, addon__buyer=user, addon__status__in=ADDON_PAID,
    )
    addon = invoice.addon
    return {
        "invoice": invoice, "paid_at": addon.paid_at, "payment_reference": addon.charge_id or addon.payment_intent_id or "",
        "back_url": reverse("marketplace:licence-addons", args=[addon.licence_id]), "back_label": "Licence and add-ons",
        "currency": addon.currency, **addon_refunds(addon),
    }


def access_addon(*, user: User, addon_id):
    from .models import LicenceAddOn

    return get_or_not_found(LicenceAddOn.objects.select_related("licence"), "No such add-on.", pk=addon_id, buyer=user)


def access_addon_for_moderation(*, user: User, addon_id):
    from .models import LicenceAddOn

    if not user.is_moderator:
        raise Forbidden("Only moderators can do this.")
    return get_or_not_found(LicenceAddOn.objects.select_related("order__offer__likeness", "order__offer__ip_asset", "licence", "buyer"),
                            "No such add-on.", pk=addon_id)


def listing_rows() -> list[dict]:
    """The marketplace for the API, in two queries and no model per listing: each listed likeness
    as {"id", "name", "bio", "offers"} with its active offers (their terms joined), cheapest first,
    in `listing_list`'s order."""
    rows = [
        {"id": pk, "name": name, "bio": bio, "offers": []}
        for pk, name, bio in Likeness.objects.filter(status=Likeness.Status.LISTED).order_by("name").values_list("id", "name", "bio")
    ]
    by_id = {row["id"]: row for row in rows}
    offers = Offer.objects.filter(is_active=True, likeness__status=Likeness.Status.LISTED).select_related("terms").order_by("price_minor")
    for offer in offers:
        row = by_id.get(offer.likeness_id)
        if row is not None:
            row["offers"].append(offer)
    return rows


def access_offer_buyable(*, offer_id) -> Offer:
    return get_or_not_found(
        Offer.objects.select_related("likeness", "ip_asset", "terms"),
        "No such offer.",
        Q(likeness__status=Likeness.Status.LISTED) | Q(ip_asset__status=IPAsset.Status.LISTED),
        pk=offer_id,
        is_active=True,
    )


def access_order(*, user: User, order_id) -> Order:
    return get_or_not_found(
        Order.objects.select_related("offer__likeness", "offer__ip_asset", "licence"), "No such order.", pk=order_id, buyer=user
    )


def access_order_for_moderation(*, user: User, order_id) -> Order:
    if not user.is_moderator:
        raise Forbidden("Only moderators can do this.")
    return get_or_not_found(Order.objects.select_related("offer__likeness", "licence", "buyer"), "No such order.", pk=order_id)


def access_usage_charge_for_moderation(*, user: User, charge_id) -> UsageCharge:
    if not user.is_moderator:
        raise Forbidden("Only moderators can do this.")
    return get_or_not_found(UsageCharge.objects.select_related("usage", "order"), "No such fee.", pk=charge_id)


def access_topup(*, user: User, topup_id) -> CreditTopUp:
    return get_or_not_found(CreditTopUp.objects.all(), "No such top-up.", pk=topup_id, buyer=user)


def offer_list_for_likeness(*, likeness: Likeness) -> QuerySet[Offer]:
    return likeness.offers.select_related("terms").order_by("-created_at")


# --- earnings ------------------------------------------------------------------------------------

def _sums(qs) -> dict[str, int]:
    return {r["currency"]: int(r["t"] or 0) for r in qs.values("currency").annotate(t=Sum("amount_minor")).order_by("currency")}


def balance_for(*, user: User) -> list[dict]:
    """What the platform owes `user` now, per currency: credits to their payable accounts, less
    what payouts have taken."""
    return [
        {"currency": c, "owed_minor": -t}
        for c, t in _sums(LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE)).items()
    ]


def earnings_summary_for(*, user: User) -> list[dict]:
    """Per currency: owed (balance), pending (in payouts being transferred), paid (transferred,
    less reversals), earned (all shares ever credited, less reversals), and whether the next run
    will pay it."""
    owed = _sums(LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE))
    pending = _sums(LedgerEntry.objects.filter(account__owner=user, account__kind=K.IN_TRANSIT))
    sent = _sums(LedgerEntry.objects.filter(account__owner=user, account__kind=K.IN_TRANSIT, transaction__kind=TK.PAYOUT_SENT))
    reversed_ = _sums(LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE, transaction__kind=TK.TRANSFER_REVERSAL))
    earned = _sums(
        LedgerEntry.objects.filter(
            account__owner=user, account__kind=K.PAYABLE,
            transaction__kind__in=[TK.SALE, TK.USAGE_FEE, TK.USAGE_FEE_REFUND, TK.REFUND, TK.REFUND_FAILED, TK.DISPUTE_LOST],
        )
    )
    payee = PayeeAccount.objects.filter(user=user).first()
    ready = bool(payee and payee.is_ready)
    causes = negative_balance_causes(user=user) if any(t > 0 for t in owed.values()) else {}
    out = []
    for c in sorted(set(owed) | set(pending) | set(sent)):
        out.append({
            "currency": c,
            "owed_minor": -owed.get(c, 0),
            "pending_minor": -pending.get(c, 0),
            "paid_minor": sent.get(c, 0) + reversed_.get(c, 0),
            "earned_minor": -earned.get(c, 0),
            "payouts_ready": ready,
            "debt_causes": causes.get(c, []),  # why the balance is negative (owed_minor < 0), to be recovered from later earnings
        })
    return out


def negative_balance_causes(*, user: User) -> dict[str, list[dict]]:
    """Per currency where `user` owes the platform (a refund, lost dispute or reversal after the
    money was paid out): the debits since their last payout that caused it, newest first. The debt
    is recovered from later earnings (payouts wait until the balance is above the minimum again)."""
    out: dict[str, list[dict]] = {}
    for c, total in _sums(LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE)).items():
        if total <= 0:  # credits are negative: a positive sum is a debt
            continue
        last_payout = (
            LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE, currency=c, transaction__kind=TK.PAYOUT_RESERVED)
            .order_by("-transaction_id").values_list("transaction_id", flat=True).first()
        ) or 0
        debits = (
            LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE, currency=c, amount_minor__gt=0, transaction_id__gt=last_payout)
            .exclude(transaction__kind=TK.PAYOUT_RESERVED)
            .select_related("transaction").order_by("-transaction_id")[:20]
        )
        out[c] = [
            {"when": d.transaction.created_at, "what": d.transaction.get_kind_display(), "description": d.transaction.description,
             "order_id": d.transaction.order_id, "amount_minor": d.amount_minor}
            for d in debits
        ]
    return out


def studio_earnings_for(*, user: User) -> list[dict]:
    """What each studio `user` is a member of is owed (it is paid as one party, its money holder):
    [{"studio", "summary"}], for the member's home."""
    from accounts.models import Organisation

    from .models import OrganisationHolder

    studios = list(Organisation.objects.filter(kind=Organisation.Kind.STUDIO, memberships__user=user).distinct().order_by("name"))
    holders = dict(OrganisationHolder.objects.filter(organisation__in=studios).values_list("organisation_id", "user_id"))
    users = User.objects.in_bulk(list(holders.values()))
    return [{"studio": st, "summary": earnings_summary_for(user=users[holders[st.pk]]) if st.pk in holders else []} for st in studios]


def earnings_for(*, user: User) -> QuerySet[LedgerEntry]:
    """The history of what `user` is owed: every entry on their payable accounts, newest first."""
    return (
        LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE)
        .select_related("transaction__order__offer__likeness")
        .order_by("-transaction__created_at", "-pk")
    )


def _roles_in_chain(user_id, chain, refs: list, *, first: str) -> list[str]:
    roles = []
    for k, link in enumerate(chain):
        if k == 0 and link.party == user_id:
            roles.append(first)
        elif k > 0 and user_id in link.parties:
            ref = refs[k - 1] if k - 1 < len(refs) else "?"
            what = "maker" if link.party == user_id else "rights holder shown"
            roles.append(f"{what} of parent work {str(ref)[:8]} ({k} level{'s' if k > 1 else ''} up)")
    return roles


def _walk_refs(parent_id, memo: dict, limit: int) -> list:
    """The references of a work's parent works, nearest first (from the lineage walk's memo)."""
    walk = []
    while parent_id and len(walk) < limit and memo.get(parent_id):
        walk.append(memo[parent_id][4])
        parent_id = memo[parent_id][0]
    return walk


def earnings_sources(*, user: User, entries) -> list[LedgerEntry]:
    """Which work paid whom: each earnings entry gets `source` ({work, made_by, roles}): the work
    whose generation or licence sale paid it and why `user` was paid (the holder of the licence
    used or sold, the maker of a parent work, or a rights holder shown in one). A licence bought to
    remix a work names that work. Derived from the usage records and orders, which never change."""
    from licensing.models import UsageRecord

    from .services.sharing import chain_for_sale, chains_for_usages

    entries = list(entries)
    usage_ids = {}
    for e in entries:
        key = e.transaction.idempotency_key
        if e.transaction.kind == TK.USAGE_FEE and key.startswith("usage-fee-") and key[10:].isdigit():
            usage_ids[e.pk] = int(key[10:])
    usages = {u.pk: u for u in UsageRecord.objects.filter(pk__in=set(usage_ids.values())).select_related("licence__licensee")}
    memo: dict = {}
    chains = chains_for_usages(list(usages), memo=memo) if usages else {}
    refs = {usage_id: _walk_refs(usages[usage_id].parent_id, memo, len(chain) - 1) for usage_id, chain in chains.items()}
    remixes = {  # sales of licences bought to remix a work: order id -> (its chain, the works up it)
        e.transaction.order_id: e.transaction.order for e in entries
        if e.transaction.kind == TK.SALE and e.transaction.order_id and e.transaction.order.remix_of_id
    }
    if remixes:
        parents = {u.pk: u for u in UsageRecord.objects.filter(pk__in={o.remix_of_id for o in remixes.values()}).select_related("licence__licensee")}
        orders = Order.objects.filter(pk__in=remixes).select_related("licence__terms", "licence__likeness", "licence__ip_asset")
        for order in orders:
            chain = chain_for_sale(order.licence, remix_of_id=order.remix_of_id, memo=memo)
            remixes[order.pk] = (chain, _walk_refs(order.remix_of_id, memo, len(chain) - 1), parents[order.remix_of_id])
    for e in entries:
        row = {"work": None, "made_by": None, "roles": []}
        usage_id = usage_ids.get(e.pk)
        if usage_id in usages:
            usage = usages[usage_id]
            row["work"] = usage.reference
            row["made_by"] = usage.licence.licensee.display_name or usage.licence.licensee.email.split("@")[0]
            row["roles"] = _roles_in_chain(user.pk, chains.get(usage_id, []), refs.get(usage_id, []),
                                           first="rights holder of the licence used")
        elif e.transaction.order_id in remixes:
            chain, walk, parent = remixes[e.transaction.order_id]
            row["work"] = parent.reference
            row["made_by"] = parent.licence.licensee.display_name or parent.licence.licensee.email.split("@")[0]
            row["roles"] = _roles_in_chain(user.pk, chain, walk, first="rights holder: licence sale to remix this work")
        elif e.transaction.order_id and e.transaction.kind == TK.SALE:
            row["roles"].append("rights holder: licence sale")
        e.source = row
    return entries


def earnings_csv_for(*, user: User) -> str:
    """The history as CSV, oldest first, with the balance after each line (per currency)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["date", "kind", "description", "order", "amount_minor", "currency", "balance_minor"])
    running: dict[str, int] = {}
    rows = (
        LedgerEntry.objects.filter(account__owner=user, account__kind=K.PAYABLE)
        .order_by("transaction__created_at", "pk")
        .values_list("transaction__created_at", "transaction__kind", "transaction__description", "transaction__order_id", "amount_minor", "currency")
    )
    for created, kind, description, order_id, amount, currency in rows.iterator(chunk_size=2000):
        owed = -amount
        running[currency] = running.get(currency, 0) + owed
        writer.writerow([created.isoformat(), kind, description, order_id or "", owed, currency, running[currency]])
    return buf.getvalue()


def payouts_for(*, user: User) -> QuerySet[Payout]:
    return Payout.objects.filter(payee=user).order_by("-created_at")


def payee_account_for(*, user: User) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(user=user).first()


def payee_account_by_provider_id(*, account_id: str) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(account_id=account_id).first() if account_id else None


# --- buyers: credit and receipts -------------------------------------------------------------------

def credit_summary_for(*, user: User) -> list[dict]:
    return [
        {"currency": c, "balance_minor": -t}
        for c, t in _sums(LedgerEntry.objects.filter(account__owner=user, account__kind=K.BUYER_CREDIT)).items()
    ]


def credit_history_for(*, user: User) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(account__owner=user, account__kind=K.BUYER_CREDIT)
        .select_related("transaction__order__offer__likeness")
        .order_by("-transaction__created_at", "-pk")
    )


def usage_charges_for(*, user: User) -> QuerySet[UsageCharge]:
    return UsageCharge.objects.filter(buyer=user).select_related("order__offer__likeness", "usage").order_by("-created_at")


RECEIPT_PREFETCH = ("refunds__credit_note", "disputes")  # what ``receipt_for`` reads of an order, fetched for a page at once


def receipts_for(*, user: User) -> dict:
    """What a buyer paid for: orders (paid or refunded), paid add-ons (each with its own invoice)
    and credit top-ups."""
    from .models import LicenceAddOn

    return {
        "addons": LicenceAddOn.objects.filter(buyer=user, status__in=ADDON_PAID)
        .select_related("order__offer__likeness", "order__offer__ip_asset", "invoice").prefetch_related(*RECEIPT_PREFETCH).order_by("-paid_at"),
        "orders": Order.objects.filter(buyer=user, status__in=[Order.Status.PAID, Order.Status.REFUNDED], amount_minor__gt=0)
        .select_related("offer__likeness", "offer__ip_asset", "licence", "invoice").prefetch_related(*RECEIPT_PREFETCH).order_by("-paid_at"),
        "topups": CreditTopUp.objects.filter(buyer=user, status=CreditTopUp.Status.PAID).order_by("-paid_at"),
    }


def access_receipt(*, user: User, order_id) -> Order:
    return get_or_not_found(
        Order.objects.select_related("offer__likeness", "offer__ip_asset__studio", "licence", "buyer", "invoice").prefetch_related(*RECEIPT_PREFETCH),
        "No such receipt.",
        Q(status__in=[Order.Status.PAID, Order.Status.REFUNDED]),
        pk=order_id,
        buyer=user,
    )


def access_credit_note(*, user: User, refund_id):
    """A refund's credit note, for the buyer of the order or add-on it refunds (anyone else: not found)."""
    from .models import CreditNote

    return get_or_not_found(
        CreditNote.objects.select_related("refund__order", "refund__addon", "invoice"), "No such credit note.",
        Q(refund__order__buyer=user) | Q(refund__addon__buyer=user), refund_id=refund_id,
    )


def receipt_for(*, order: Order) -> dict:
    """An order's receipt; ``RECEIPT_PREFETCH`` fetched with the order saves a query per refund."""
    from .models import Invoice

    try:
        invoice = order.invoice
    except Invoice.DoesNotExist:
        invoice = None
    refunds = [r for r in order.refunds.all() if r.status != r.Status.FAILED]
    refunded = sum(r.amount_minor for r in refunds)
    lost = sum(d.amount_minor for d in order.disputes.all() if d.status == d.Status.LOST)
    if order.bundle_id:  # a campaign checkout's charge disputed and lost: this order's part, as reversed
        from .models import LedgerAccount, LedgerEntry, LedgerTransaction

        lost += -int(LedgerEntry.objects.filter(transaction__order=order, transaction__kind=LedgerTransaction.Kind.DISPUTE_LOST,
                                                account__kind=LedgerAccount.Kind.DISPUTED)
                     .exclude(transaction__idempotency_key__startswith="addon-")  # its add-ons' own disputes
                     .aggregate(t=Sum("amount_minor"))["t"] or 0)
    tax = invoice.tax_minor if invoice else 0
    return {
        "order": order,
        "invoice": invoice,
        "paid_at": order.paid_at,
        "back_url": reverse("marketplace:receipt", args=[order.pk]),
        "back_label": "Receipt",
        "number": invoice.reference if invoice else f"RC-{order.pk.hex[:10].upper()}",
        "amount_minor": order.amount_minor,
        "tax_minor": tax,
        "total_minor": order.amount_minor + tax,  # what the charge took: the price and its tax
        "currency": order.currency,
        "refunds": refunds,
        "credit_notes": [n for n in (getattr(r, "credit_note", None) for r in refunds) if n],  # once the provider confirmed the refund
        "refunded_minor": refunded,
        "refunded_tax_minor": sum(r.tax_minor for r in refunds),  # the tax part of what went back (services.refunds.tax_part)
        "disputed_minor": lost,
        "net_minor": order.amount_minor + tax - refunded - lost,
        "payment_reference": order.charge_id or order.payment_intent_id or "",
    }


def usage_payments_for(references: list[str]) -> dict[str, list[dict]]:
    """Who was credited what for each use (a brief id): the per-generation fee's split as the
    ledger recorded it, the platform's fee included, and whether the fee went back to the buyer.
    Registered with licensing.metering as a paid reader (the lineage page reads it by reference)."""
    from licensing.models import UsageRecord

    from .models import LedgerAccount, LedgerEntry, UsageCharge

    usages = dict(UsageRecord.objects.filter(reference__in=list(references)).values_list("pk", "reference"))
    if not usages:
        return {}
    keys = {f"usage-fee-{pk}": ref for pk, ref in usages.items()}
    refunded = set(UsageCharge.objects.filter(usage_id__in=list(usages), refunded_at__isnull=False).values_list("usage_id", flat=True))
    refunded_refs = {usages[u] for u in refunded}
    entries = (
        LedgerEntry.objects.filter(transaction__idempotency_key__in=list(keys), amount_minor__lt=0,
                                   account__kind__in=[LedgerAccount.Kind.PAYABLE, LedgerAccount.Kind.PLATFORM_REVENUE])
        .values("transaction__idempotency_key", "account__kind", "account__owner__display_name", "account__owner__email", "currency")
        .annotate(total=Sum("amount_minor"))
    )
    found: dict[str, dict] = {}
    for e in entries:
        ref = keys[e["transaction__idempotency_key"]]
        who = "Rightscast (platform fee)" if e["account__kind"] == LedgerAccount.Kind.PLATFORM_REVENUE else (
            e["account__owner__display_name"] or e["account__owner__email"].split("@")[0])
        row = found.setdefault(ref, {}).setdefault((who, e["currency"]), {"who": who, "amount_minor": 0, "currency": e["currency"], "refunded": ref in refunded_refs})
        row["amount_minor"] += -e["total"]
    return {ref: sorted(rows.values(), key=lambda r: (r["who"].startswith("Rightscast"), -r["amount_minor"])) for ref, rows in found.items()}
