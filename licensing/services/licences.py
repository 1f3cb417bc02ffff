"""Licence terms, licences and their state machine, and metered use."""
from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.errors import Conflict, InvalidInput
from accounts.models import User
from webhooks import events as webhook_events

from .. import metering, renderers
from ..models import CHANNELS, IPAsset, Licence, LicenceTerms, LicenceTransition, Likeness, UsageRecord, holding_filter
from .audit import audit_record
from .evaluation import holding_label


def licences_lock(licence_ids: list) -> list[Licence]:
    """Inside a transaction: lock every holding, then every licence, each in primary-key order
    (the fixed lock order), and return the licences in the order asked."""
    rows = list(Licence.objects.filter(pk__in=licence_ids).values_list("pk", "likeness_id", "ip_asset_id"))
    likeness_ids = sorted({r[1] for r in rows if r[1]})
    asset_ids = sorted({r[2] for r in rows if r[2]})
    if likeness_ids:  # (a kind of holding none of the licences is on takes no statement)
        list(Likeness.objects.select_for_update().filter(pk__in=likeness_ids).order_by("pk").values_list("pk", flat=True))
    if asset_ids:
        list(IPAsset.objects.select_for_update().filter(pk__in=asset_ids).order_by("pk").values_list("pk", flat=True))
    locked = {
        lic.pk: lic
        for lic in Licence.objects.select_for_update(of=("self",))
        .select_related("likeness", "ip_asset", "terms")
        .filter(pk__in=licence_ids)
        .order_by("pk")
    }
    return [locked[pk] for pk in licence_ids]


def quota_cover(*, licence_ids: list, generations: int) -> list[Licence]:
    """Inside a transaction: lock the parties (the fixed order) and check that each licence has
    `generations` units of quota left (a set of variants is all or nothing). Conflict naming the
    first licence short of it; else the locked licences."""
    if not connection.in_atomic_block:
        raise RuntimeError("quota_cover runs inside the caller's transaction")
    locked = licences_lock(list(dict.fromkeys(licence_ids)))
    for lic in locked:
        left = lic.terms.generation_quota - lic.quota_used
        if left < generations:
            raise Conflict(
                f"{generations} variants need {generations} generations of quota on {holding_label(lic.holding)}; {max(left, 0)} left."
            )
    return locked


def terms_create(
    *,
    exclusivity_category: str = "",
    sublicensable: bool = False,
    ai_training: bool = False,
    commercial_use: bool = True,
    channels: list[str] | None = None,
    territories: list[str] | None = None,
    duration_days: int = 30,
    generation_quota: int = 10,
    derivatives: str = LicenceTerms.Derivatives.NONE,
    revenue_share_bps: int = 0,
    attribution: bool = True,
    content_standards: str = "",
    model_name: str = "",
) -> LicenceTerms:
    if not 1 <= duration_days <= 3650:
        raise InvalidInput("The term must be between 1 and 3650 days.")
    if not 1 <= generation_quota <= 1_000_000:
        raise InvalidInput("The generation quota must be between 1 and 1,000,000.")
    if not 0 <= revenue_share_bps <= 10_000:
        raise InvalidInput("The revenue share is in basis points, between 0 and 10000.")
    bad_channels = set(channels or []) - set(CHANNELS)
    if bad_channels:
        raise InvalidInput(f"Unknown channels: {', '.join(sorted(bad_channels))}; use {', '.join(CHANNELS)}.")
    bad_territories = [t for t in territories or [] if not (isinstance(t, str) and len(t) == 2 and t.isalpha())]
    if bad_territories:
        raise InvalidInput("Territories are ISO 3166 two-letter country codes, like GB or US.")
    if derivatives not in LicenceTerms.Derivatives.values:
        raise InvalidInput(f"Derivatives must be one of {', '.join(LicenceTerms.Derivatives.values)}.")
    model_name = renderers.check(model_name)
    return LicenceTerms.objects.create(
        model_name=model_name,
        commercial_use=commercial_use,
        channels=list(channels or []),
        territories=[t.upper() for t in (territories or [])],
        duration_days=duration_days,
        generation_quota=generation_quota,
        derivatives=derivatives,
        revenue_share_bps=revenue_share_bps,
        attribution=attribution,
        content_standards=content_standards,
        exclusivity_category=(exclusivity_category or "").strip()[:80],
        sublicensable=sublicensable,
        ai_training=ai_training,
    )


def licence_create(*, licensee: User, terms: LicenceTerms, likeness: Likeness | None = None, ip_asset=None) -> Licence:
    if (likeness is None) == (ip_asset is None):
        raise InvalidInput("A licence is for exactly one likeness or IP asset.")
    with transaction.atomic():
        # The holding's row lock serialises sales on it, so two brands cannot both become exclusive.
        holding = type(likeness or ip_asset).objects.select_for_update().get(pk=(likeness or ip_asset).pk)
        refusal = exclusivity_refusal(holding=holding, licensee=licensee, terms=terms)
        if refusal:
            raise Conflict(refusal, code="exclusivity")
        licence = Licence.objects.create(likeness=likeness, ip_asset=ip_asset, licensee=licensee, terms=terms)
        LicenceTransition.objects.create(licence=licence, from_status="", to_status=licence.status, actor=licensee)
        audit_record(actor=licensee, action="licence.created", obj=licence, data={"terms": str(terms.pk)})
    return licence


def exclusivity_refusal(*, holding, licensee: User, terms: LicenceTerms) -> str:
    """Why this licence would break an exclusivity on `holding` (empty: it would not). Pending
    licences count, so a sale waiting for payment holds its place. Call with the holding locked."""
    from .evaluation import brand_categories, normalise_category

    now = timezone.now()
    others = (
        Licence.objects.filter(**holding_filter(holding))
        .filter(Q(status=Licence.Status.PENDING) | Q(status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED], ends_at__gt=now))
        .exclude(licensee=licensee)
        .select_related("terms", "licensee")
    )
    mine = normalise_category(terms.exclusivity_category)
    my_categories = brand_categories(licensee)
    for other in others:
        theirs = normalise_category(other.terms.exclusivity_category)
        if theirs and (theirs == mine or theirs in my_categories):
            return f"{holding.name} is licensed exclusively in {other.terms.exclusivity_category} to another brand for its term."
        if mine and mine in brand_categories(other.licensee):
            return f"{holding.name} cannot be licensed exclusively in {terms.exclusivity_category}: another brand in that market holds a licence on it."
    return ""


def licence_transition(*, licence: Licence, to: str, actor: User | None, reason: str = "") -> Licence:
    """The one way a licence changes status: checked against the allowed map under a row lock,
    with a history row and an audit row in the same transaction."""
    with transaction.atomic():
        locked = Licence.objects.select_for_update().select_related("terms").get(pk=licence.pk)
        if to not in Licence.STATUS_TRANSITIONS[locked.status]:
            raise Conflict(f"A {locked.status} licence cannot become {to}.")
        before = locked.status
        locked.status = to
        fields = ["status"]
        if to == Licence.Status.ACTIVE and locked.starts_at is None:
            locked.starts_at = timezone.now()
            locked.ends_at = locked.starts_at + timedelta(days=locked.terms.duration_days)
            fields += ["starts_at", "ends_at"]
        locked.save(update_fields=fields)
        LicenceTransition.objects.create(licence=locked, from_status=before, to_status=to, actor=actor, reason=reason)
        audit_record(actor=actor, action=f"licence.{to}", obj=locked, data={"from": before, "reason": reason})
        if to == Licence.Status.REVOKED:
            webhook_events.licence_revoked(locked, reason=reason)
        if to == Licence.Status.EXPIRED:
            _tell_licensee_expired(locked)
    return locked


def _listing_url(licence: Licence) -> str:
    """The public listing where the licence can be bought again (the marketplace's address; a
    string, so licensing imports nothing above it)."""
    return f"/market/{licence.likeness_id}/" if licence.likeness_id else f"/market/ip/{licence.ip_asset_id}/"


def _tell_licensee_expired(licence: Licence) -> None:
    from accounts.notifications import Kind, notify

    name = licence.holding.name
    notify(
        user=licence.licensee, kind=Kind.EXPIRY, title=f"Your licence for {name} has expired",
        body="Nothing more can be generated under it. Buy a new licence to carry on.",
        url=_listing_url(licence), once_key=f"expired:{licence.pk}",
    )


EXPIRY_WARNING = timedelta(days=7)


def licences_expiring_notify(*, now=None, within: timedelta = EXPIRY_WARNING) -> int:
    """Tell each licensee whose active licence ends within `within` (run on a schedule; once per
    licence, however often it runs), with a link to extend it."""
    from accounts.models import Notification
    from accounts.notifications import Kind, notify

    now = now or timezone.now()
    due = Licence.objects.filter(status=Licence.Status.ACTIVE, ends_at__gt=now, ends_at__lte=now + within).select_related(
        "licensee", "likeness", "ip_asset"
    )
    keys = {f"expiring:{lic.pk}": lic for lic in due}
    told = set(Notification.objects.filter(once_key__in=list(keys)).values_list("once_key", flat=True))
    for key, licence in keys.items():
        if key in told:
            continue
        days = max(1, round((licence.ends_at - now).total_seconds() / 86400))
        notify(
            user=licence.licensee, kind=Kind.EXPIRY, title=f"Your licence for {licence.holding.name} ends in {days} day{'s' if days != 1 else ''}",
            body=f"It ends on {licence.ends_at:%d %b %Y}. Extend it to keep generating.",
            url=f"/licences/{licence.pk}/add-ons/", once_key=key,
        )
    return len(keys) - len(told)


def usage_record(*, licence: Licence, reference: str, parent: UsageRecord | None = None) -> UsageRecord:
    """Uses one unit of `licence`'s quota for `reference` (a brief id). Idempotent per licence and
    reference; the licence row must be locked by the caller's transaction (select_for_update)."""
    existing = UsageRecord.objects.filter(licence=licence, reference=reference).first()
    if existing:
        return existing
    if licence.quota_used >= licence.terms.generation_quota:
        raise Conflict("The generation quota is used up.")
    Licence.objects.filter(pk=licence.pk).update(quota_used=licence.quota_used + 1)
    licence.quota_used += 1
    record = UsageRecord.objects.create(licence=licence, reference=reference, parent=parent)
    metering.run(record)  # registered meters (per-generation fees) act in this same transaction
    return record


def licences_expire_due(*, now=None) -> int:
    """Move every active licence past its end to expired (run on a schedule)."""
    now = now or timezone.now()
    count = 0
    for pk in Licence.objects.filter(status__in=[Licence.Status.ACTIVE, Licence.Status.SUSPENDED], ends_at__lte=now).values_list("pk", flat=True):
        try:
            licence_transition(licence=Licence(pk=pk), to=Licence.Status.EXPIRED, actor=None, reason="term ended")
            count += 1
        except Conflict:
            continue  # changed meanwhile
    return count


def usage_release(*, reference: str, reason: str) -> int:
    """Give back every use recorded for `reference` (a brief) that nothing was rendered for: the
    quota unit returns to its licence and the release meters run (the per-generation fee goes back
    to the buyer's credit), in one transaction with the licences locked in id order. Idempotent:
    a use is released once. Returns how many were released."""
    with transaction.atomic():
        records = list(UsageRecord.objects.filter(reference=reference, released_at__isnull=True).order_by("licence_id"))
        if not records:
            return 0
        locked = {lic.pk: lic for lic in Licence.objects.select_for_update().filter(pk__in=[r.licence_id for r in records]).order_by("pk")}
        now = timezone.now()
        count = 0
        for record in UsageRecord.objects.select_for_update().filter(pk__in=[r.pk for r in records], released_at__isnull=True).order_by("pk"):
            licence = locked[record.licence_id]
            if licence.quota_used > 0:
                licence.quota_used -= 1
                Licence.objects.filter(pk=licence.pk).update(quota_used=licence.quota_used)
            record.released_at = now
            record.save(update_fields=["released_at"])
            metering.run_release(record)
            audit_record(actor=None, action="usage.released", obj=licence, data={"reference": reference, "reason": reason[:255]})
            count += 1
    return count


def licence_extend(*, licence: Licence, actor: User | None, generations: int = 0, days: int = 0, reason: str = "") -> Licence:
    """More generations or a longer term for a live licence (an add-on bought). Terms are
    immutable, so the licence moves to a copy of its terms with the larger quota and term; the
    end date moves by `days`. The caller may hold the licence's lock; this takes it."""
    if generations < 0 or days < 0 or not (generations or days):
        raise InvalidInput("An extension adds generations, days, or both.")
    with transaction.atomic():
        locked = Licence.objects.select_for_update().select_related("terms").get(pk=licence.pk)
        if locked.status not in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED):
            raise Conflict(f"A {locked.status} licence cannot be extended.")
        old = locked.terms
        new_terms = {**old.as_dict(), "generation_quota": old.generation_quota + generations, "duration_days": old.duration_days + days}
        locked.terms = terms_create(**new_terms)
        if days and locked.ends_at:
            locked.ends_at = locked.ends_at + timedelta(days=days)
        locked.save(update_fields=["terms", "ends_at"])
        audit_record(actor=actor, action="licence.extended", obj=locked,
                     data={"generations": generations, "days": days, "from_terms": str(old.pk), "reason": reason[:255]})
    return locked


def licence_withdraw(*, licence: Licence, actor: User | None, generations: int = 0, days: int = 0, reason: str = "") -> Licence:
    """Take back generations or days an extension gave (a fully refunded add-on), the inverse of
    `licence_extend`: never below what is used (the quota stays at least `quota_used`) and never
    a day already started (the end stays at or after now). Only a live licence changes; a revoked
    or expired one can use nothing more anyway. The caller may hold the licence's lock."""
    if generations < 0 or days < 0:
        raise InvalidInput("A withdrawal takes back generations, days, or both.")
    with transaction.atomic():
        locked = Licence.objects.select_for_update().select_related("terms").get(pk=licence.pk)
        if not (generations or days) or locked.status not in (Licence.Status.ACTIVE, Licence.Status.SUSPENDED):
            return locked
        old = locked.terms
        if old.generation_quota - generations < locked.quota_used or old.duration_days - days < 0:
            raise Conflict("More generations or days than are left unused cannot be withdrawn.")
        if days and locked.ends_at and locked.ends_at - timedelta(days=days) < timezone.now():
            raise Conflict("A day already started cannot be withdrawn.")
        new_terms = {**old.as_dict(), "generation_quota": old.generation_quota - generations, "duration_days": old.duration_days - days}
        locked.terms = terms_create(**new_terms)
        if days and locked.ends_at:
            locked.ends_at = locked.ends_at - timedelta(days=days)
        locked.save(update_fields=["terms", "ends_at"])
        audit_record(actor=actor, action="licence.withdrawn", obj=locked,
                     data={"generations": generations, "days": days, "from_terms": str(old.pk), "reason": reason[:255]})
    return locked


def licence_indemnity_record(*, licence: Licence, tier: str, cap_minor: int | None, currency: str) -> Licence:
    """Record the buyer's indemnity on a pending licence (set once, at purchase)."""
    from ..models import Indemnity

    if tier not in Indemnity.values:
        raise InvalidInput(f"Indemnity is one of {', '.join(Indemnity.values)}.")
    with transaction.atomic():
        locked = Licence.objects.select_for_update().get(pk=licence.pk)
        if locked.status != Licence.Status.PENDING:
            raise Conflict("Indemnity is recorded when the licence is bought.")
        locked.indemnity = tier
        locked.indemnity_cap_minor = cap_minor if tier == Indemnity.STANDARD else None
        locked.indemnity_currency = currency if tier != Indemnity.NONE else ""
        locked.save(update_fields=["indemnity", "indemnity_cap_minor", "indemnity_currency"])
    return locked
