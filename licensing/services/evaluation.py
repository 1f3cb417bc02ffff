"""Gathering the facts for the policy engine (`licensing.policy.decide`): every party of a brief
(each licensed holding, each remix ancestor), what each says, and the content screen."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from accounts.models import Membership, Organisation, User

from .. import policy
from ..models import (
    AccessEntry,
    ConsentDocument,
    ConsentRecord,
    IPAsset,
    Licence,
    LicenceTerms,
    Likeness,
    PermissionLevel,
    UsageRecord,
    holding_filter,
)
from ..selectors import consent_current_for, verification_approved_for


def holding_label(holding) -> str:
    if isinstance(holding, Likeness):
        return f"The likeness of {holding.name}"
    return f"{holding.get_kind_display()} “{holding.name}”"


def _owner_ids(holding) -> set[int]:
    if isinstance(holding, Likeness):
        return {holding.owner_id}
    return set(Membership.objects.filter(organisation_id=holding.studio_id).values_list("user_id", flat=True))


def permits(holding, user: User) -> bool:
    """The holder's permission level and allow/deny lists, for `user`."""
    if user.pk in _owner_ids(holding):
        return True
    entries = dict(AccessEntry.objects.filter(**holding_filter(holding), user=user).values_list("user_id", "kind"))
    if entries.get(user.pk) == AccessEntry.Kind.DENY:
        return False
    allowed = entries.get(user.pk) == AccessEntry.Kind.ALLOW
    level = holding.permission_level
    if level == PermissionLevel.ONLY_ME:
        return False
    if level == PermissionLevel.APPROVED:
        return allowed
    if level == PermissionLevel.VERIFIED_BRANDS:
        return allowed or is_verified_brand(user)
    return True


def is_verified_brand(user: User) -> bool:
    return Membership.objects.filter(user=user, organisation__kind="brand", organisation__verified_at__isnull=False).exists()


def normalise_category(category: str) -> str:
    """'Soft drinks', 'soft-drinks' and ' SOFT  DRINKS ' are one market."""
    import re

    return " ".join(re.sub(r"[^0-9a-z]+", " ", (category or "").lower()).split())


def brand_categories(user: User) -> set[str]:
    return {
        normalise_category(c)
        for c in Membership.objects.filter(user=user, organisation__kind="brand").values_list("organisation__category", flat=True)
        if c and c.strip()
    }


def exclusive_conflict(holding, user: User, *, at=None) -> bool:
    """Another brand holds an exclusive licence on this holding, in one of `user`'s categories,
    running now."""
    categories = brand_categories(user)
    if not categories:
        return False
    at = at or timezone.now()
    held = (
        Licence.objects.filter(**holding_filter(holding), status=Licence.Status.ACTIVE, ends_at__gt=at)
        .exclude(licensee=user)
        .exclude(terms__exclusivity_category="")
        .values_list("terms__exclusivity_category", flat=True)
    )
    return any(normalise_category(c) in categories for c in held)


def age_on(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def is_minor(likeness: Likeness, today: date | None = None) -> bool:
    if not likeness.date_of_birth:
        return False
    return age_on(likeness.date_of_birth, today or timezone.now().date()) < 18


def is_ward(likeness) -> bool:
    """Held by a guardian (a minor's likeness, or an 18-year-old's not yet taken over) or under
    18 by its date of birth: never listed, never commercial, never for a brand or studio, only
    for people the guardian named, nothing relaxed."""
    return isinstance(likeness, Likeness) and (likeness.guardian_id is not None or is_minor(likeness))


def is_organisation_buyer(user: User) -> bool:
    """A brand or studio account, or a member of a brand or studio organisation."""
    return user.kind in (User.Kind.BRAND, User.Kind.STUDIO) or Membership.objects.filter(
        user=user, organisation__kind__in=("brand", "studio")
    ).exists()


def named_by_holder(holding, user: User) -> bool:
    return AccessEntry.objects.filter(**holding_filter(holding), user=user, kind=AccessEntry.Kind.ALLOW).exists()


def content_rules_of(holding):
    """What the holder allows, with the relaxations limited to what this holder may relax now (a
    stored relaxation that the rules no longer allow, say for a minor, does not count)."""
    from ..screening import ContentRules, relaxable_categories

    # nothing is relaxable for a minor (or a guardian's ward), whatever the stored controls say
    if isinstance(holding, Likeness):
        relaxable = frozenset() if is_ward(holding) else relaxable_categories(is_minor=is_minor(holding), profile=holding.screening_profile)
    else:
        relaxable = relaxable_categories(is_minor=False, kind="ip_asset")
    return ContentRules(
        label=holding_label(holding),
        allowed_categories=frozenset(holding.allowed_categories or ()) & relaxable,
        blocked_words=tuple(holding.blocked_words or ()),
        rules=tuple(holding.content_rules or ()),
    )


def _licence_facts(licence: Licence, *, quota_already_used: bool) -> policy.LicenceFacts:
    return policy.LicenceFacts(
        status=licence.status,
        starts_at=licence.starts_at,
        ends_at=licence.ends_at,
        quota_total=licence.terms.generation_quota,
        quota_used=licence.quota_used - (1 if quota_already_used else 0),
        licensee_id=licence.licensee_id,
        commercial_use=licence.terms.commercial_use,
        channels=tuple(licence.terms.channels or ()),
        territories=tuple(licence.terms.territories or ()),
    )


def holding_party(holding, *, requester: User, licence: Licence | None, quota_already_used: bool = False) -> policy.PartyFacts:
    is_likeness = isinstance(holding, Likeness)
    ward = is_ward(holding)
    return policy.PartyFacts(
        label=holding_label(holding),
        kind="likeness" if is_likeness else "ip_asset",
        # a minor's likeness is never listed: it is used privately by the people its guardian named
        listed=holding.status == "listed" or (ward and holding.status == "draft"),
        revoked=holding.status == "revoked",
        consent_current=consent_current_for(holding) if is_likeness else holding.opted_in_at is not None,
        permits_requester=permits(holding, requester) and (not ward or requester.pk in _owner_ids(holding) or named_by_holder(holding, requester)),
        minor=ward,
        requester_is_organisation=ward and is_organisation_buyer(requester),
        licence=_licence_facts(licence, quota_already_used=quota_already_used) if licence else None,
        exclusive_conflict=exclusive_conflict(holding, requester),
        requires_brief_approval=holding.require_brief_approval,
        content=content_rules_of(holding),
    )


ANCESTOR_DEPTH_LIMIT = 1000


# What an ancestor's party facts read, per model, in the order of the statement's columns: the
# usage record, the licence it was made under, its terms, and its holding (a likeness or an IP
# asset). Only these columns are selected; every other field of the instances is deferred (reading
# one would be a query: `test_the_chain_in_one_statement_reads_the_same_rows_and_facts_as_the_orm`
# builds every party with none).
_HOLDING_FIELDS = ("id", "name", "status", "permission_level", "allowed_categories", "blocked_words", "content_rules",
                   "require_brief_approval")
_ANCESTOR_FIELDS = (
    ("u", UsageRecord, ("id", "reference", "licence_id")),
    ("l", Licence, ("id", "status", "likeness_id", "ip_asset_id", "terms_id")),
    ("t", LicenceTerms, ("id", "derivatives")),
    ("k", Likeness, (*_HOLDING_FIELDS, "owner_id", "date_of_birth", "guardian_id", "screening_profile")),
    ("a", IPAsset, (*_HOLDING_FIELDS, "studio_id", "kind")),
)


@functools.lru_cache(maxsize=4)
def _ancestor_statement(vendor: str) -> tuple[str, tuple]:
    """The statement (for this database vendor) and, per model, its field names, where its primary
    key is among them, and each field's converters from what the database returns to Python (a UUID is text on SQLite, JSON is text):
    built once, so no queryset is compiled per decision."""
    columns, layout = [], []
    for alias, model, names in _ANCESTOR_FIELDS:
        # in the model's field order, as `Model.from_db` takes a subset of the fields
        fields = [f for f in model._meta.concrete_fields if f.attname in names]
        if len(fields) != len(names):
            raise LookupError(f"{model.__name__} has no field among {sorted(set(names) - {f.attname for f in fields})}")
        columns += [f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields]
        layout.append((model, tuple(f.attname for f in fields), [f.attname for f in fields].index("id"), tuple(
            (f.get_col(alias), tuple(connection.ops.get_db_converters(f.get_col(alias)) + f.get_db_converters(connection)))
            for f in fields
        )))
    usage, licence, terms = UsageRecord._meta.db_table, Licence._meta.db_table, LicenceTerms._meta.db_table
    likeness, asset = Likeness._meta.db_table, IPAsset._meta.db_table
    sql = (
        f"WITH RECURSIVE chain(id, reference, parent_id, depth) AS ("
        f" SELECT id, reference, parent_id, 0 FROM {usage} WHERE id = %s"
        f" UNION ALL SELECT p.id, p.reference, p.parent_id, c.depth + 1 FROM {usage} p JOIN chain c ON p.id = c.parent_id"
        f" WHERE c.depth < %s)"
        f" SELECT {', '.join(columns)} FROM (SELECT reference, MIN(depth) AS depth FROM chain GROUP BY reference) c"
        f" JOIN {usage} u ON u.reference = c.reference JOIN {licence} l ON l.id = u.licence_id JOIN {terms} t ON t.id = l.terms_id"
        f" LEFT JOIN {likeness} k ON k.id = l.likeness_id LEFT JOIN {asset} a ON a.id = l.ip_asset_id"
        f" ORDER BY c.depth, u.id"
    )
    return sql, tuple(layout)


def ancestor_records(parent: UsageRecord | None) -> list[tuple[str, UsageRecord]]:
    """(reference, usage record) of every use up the chain, nearest first, each with its licence,
    terms and holding: one statement, however deep the chain. The chain is walked by a recursive
    query from the parent's usage record (a cycle, which the data never holds, ends at the depth
    limit; each reference counts once, at its nearest depth); every usage record of each reference
    in it comes back with its rows, in primary-key order within a reference. Plain SQL, and only
    the columns the party facts read (`_ANCESTOR_FIELDS`): building and compiling the equivalent
    queryset cost more CPU than the server's answer. A licence, terms or holding that several uses
    share (a chain of remixes of one likeness) is built once and shared: the instances are read,
    never saved."""
    if parent is None:
        return []
    sql, layout = _ancestor_statement(connection.vendor)
    db = connections[connection.alias]  # the connection itself, not the thread-local proxy, per value
    with _chain_cursor(db) as cursor:
        cursor.execute(sql, _chain_params(db, parent.pk))
        rows = cursor.fetchall()
    alias = db.alias
    (u_model, u_names, _, u_fields), *shared = layout
    built: list[dict] = [{} for _ in shared]  # per model: the primary key as read -> instance
    out = []
    for row in rows:
        record = u_model.from_db(alias, u_names, _converted(u_fields, row, 0, db))
        at, objs = len(u_fields), []
        for (model, names, pk_at, fields), cache in zip(shared, built):
            key = row[at + pk_at]
            if key is None:  # a LEFT JOIN that found nothing
                obj = None
            elif (obj := cache.get(key)) is None:
                obj = cache[key] = model.from_db(alias, names, _converted(fields, row, at, db))
            objs.append(obj)
            at += len(fields)
        licence, terms, likeness, asset = objs
        if not Licence.terms.field.is_cached(licence):
            Licence.terms.field.set_cached_value(licence, terms)
            Licence.likeness.field.set_cached_value(licence, likeness)
            Licence.ip_asset.field.set_cached_value(licence, asset)
        UsageRecord.licence.field.set_cached_value(record, licence)
        out.append((record.reference, record))
    return out


@functools.cache
def _preparing_cursor():
    """A psycopg cursor that binds on the server and prepares what it runs (`prepare=True`)."""
    import psycopg

    class PreparingCursor(psycopg.Cursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    return PreparingCursor


def _prepared(db) -> bool:
    """PostgreSQL with prepared statements allowed on this connection (``DATABASES["default"]
    ["OPTIONS"]["prepare_threshold"]`` not None: `DATABASE_PREPARED_STATEMENTS`, on unless a pooler
    cannot hold them). Django's own cursors bind on the client and never prepare, whatever the
    threshold: only the chain statement does."""
    return db.vendor == "postgresql" and getattr(db.connection, "prepare_threshold", None) is not None


def _chain_cursor(db):
    """The chain statement's cursor. On PostgreSQL it is a prepared statement, parsed and planned
    once per connection (planning the recursive statement with its five joins costs more server time
    than running it); Django's wrapper keeps its errors, logging and query count as any cursor's."""
    db.ensure_connection()
    if not _prepared(db):
        return db.cursor()
    db.validate_thread_sharing()
    raw = _preparing_cursor()(db.connection)
    return db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)


def _chain_params(db, parent_pk) -> list:
    if _prepared(db):  # one parameter type whatever the value, so the statement is prepared once
        from psycopg.types.numeric import Int8

        return [Int8(parent_pk), Int8(ANCESTOR_DEPTH_LIMIT)]
    return [parent_pk, ANCESTOR_DEPTH_LIMIT]


def _converted(fields, row, at: int, db) -> list:
    """``row[at:at + len(fields)]`` through each field's converters, as the ORM reads them."""
    values = []
    for expression, converters in fields:
        value = row[at]
        at += 1
        for convert in converters:
            value = convert(value, expression, db)
        values.append(value)
    return values


class _HolderSays(NamedTuple):
    """What an ancestor's holding says of the requester, worked out once per holding."""

    label: str
    ward: bool
    permits: bool
    organisation_buyer: bool
    exclusive_conflict: bool
    content: object


def ancestor_parties(parent: UsageRecord | None, requester: User | None = None, facts=None, records=None) -> list[policy.PartyFacts]:
    """Every remix ancestor, walking up from the parent's usage record: each ancestor's holding
    with the derivative terms of the licence it was made under. The ancestor's holder says what
    they say of a direct use: their permission level, allow and deny lists, a minor's limits,
    exclusivity and approval requirements apply to the remixer as well. One statement whatever the
    depth for the chain (`ancestor_records`; without `facts`, the requester's standing with each
    ancestor holding is asked per holding). What a holding says is worked out once per holding,
    however many uses of it the chain holds."""
    if records is None:
        records = ancestor_records(parent)
    who = requester
    said: dict[tuple, _HolderSays] = {}  # (kind, holding id) -> the same for every use of the holding
    parties = []
    for reference, record in records:
        lic = record.licence
        holding = lic.holding
        key = RequesterFacts.key(holding)
        holder = said.get(key)
        if holder is None:
            ward = is_ward(holding)
            holder = said[key] = _HolderSays(
                label=holding_label(holding),
                ward=ward,
                permits=who is None or (
                    (facts.permits(holding, who) if facts else permits(holding, who))
                    and (not ward or who.pk in _owner_ids(holding) or named_by_holder(holding, who))
                ),
                organisation_buyer=bool(who is not None and ward and is_organisation_buyer(who)),
                exclusive_conflict=who is not None and (
                    key in facts.exclusive_elsewhere if facts else exclusive_conflict(holding, who)
                ),
                content=content_rules_of(holding),
            )
        parties.append(
            policy.PartyFacts(
                label=f"Remix parent {reference[:8]} ({holder.label})",
                kind="ancestor",
                listed=holding.status != "revoked",
                revoked=holding.status == "revoked" or lic.status == Licence.Status.REVOKED,
                consent_current=True,
                permits_requester=holder.permits,
                minor=holder.ward,
                requester_is_organisation=holder.organisation_buyer,
                exclusive_conflict=holder.exclusive_conflict,
                requires_brief_approval=holding.require_brief_approval,
                derivatives=lic.terms.derivatives,
                content=holder.content,
            )
        )
    return parties



# --- the volatile facts of a decision, one batched query per table ----------------------------------

@dataclass(frozen=True)
class RequesterFacts:
    """What the database says about the requester and the licensed holdings right now: read with
    one query per table for all of a brief's licences at once (the licences and their holdings are
    the rows the caller already locked)."""

    consent_current: frozenset  # likeness ids with current consent
    access: dict  # ("likeness" | "ip_asset", holding id) -> AccessEntry.Kind
    organisations: frozenset  # the requester's organisations
    verified_brand: bool
    categories: frozenset  # the requester's brands' categories
    exclusive_elsewhere: frozenset  # (kind, holding id) held exclusively by another brand in one of them

    @staticmethod
    def key(holding) -> tuple:
        return ("likeness", holding.pk) if isinstance(holding, Likeness) else ("ip_asset", holding.pk)

    def permits(self, holding, user: User) -> bool:
        owner = holding.owner_id == user.pk if isinstance(holding, Likeness) else holding.studio_id in self.organisations
        if owner:
            return True
        entry = self.access.get(self.key(holding))
        if entry == AccessEntry.Kind.DENY:
            return False
        allowed = entry == AccessEntry.Kind.ALLOW
        level = holding.permission_level
        if level == PermissionLevel.ONLY_ME:
            return False
        if level == PermissionLevel.APPROVED:
            return allowed
        if level == PermissionLevel.VERIFIED_BRANDS:
            return allowed or self.verified_brand
        return True


def _in(values) -> tuple[str, list]:
    """An ``IN (...)`` list for raw SQL (never empty: ``(NULL)`` matches nothing)."""
    values = list(values)
    return ("(" + ", ".join(["%s"] * len(values)) + ")", values) if values else ("(NULL)", [])


def requester_facts(holdings: list, requester: User, *, at=None) -> RequesterFacts:
    """Four statements whatever the number of holdings, written as plain SQL: this runs three times
    per job under row locks, and building the querysets cost more CPU than the server's answers."""
    at = at or timezone.now()
    at_db = connection.ops.adapt_datetimefield_value(at)
    holdings = list({RequesterFacts.key(h): h for h in holdings}.values())  # a chain names one holding many times
    likeness_ids = [h.pk for h in holdings if isinstance(h, Likeness)]
    asset_ids = [h.pk for h in holdings if not isinstance(h, Likeness)]
    # holding ids as the database stores them (a UUID is text on SQLite), and back
    like_pk, asset_pk = Likeness._meta.pk, IPAsset._meta.pk
    likeness_in, likeness_params = _in(like_pk.get_db_prep_value(pk, connection) for pk in likeness_ids)
    asset_in, asset_params = _in(asset_pk.get_db_prep_value(pk, connection) for pk in asset_ids)
    consent: set = set()
    with connection.cursor() as cursor:
        if likeness_ids:
            # the same rule as selectors.consent_current_for, for every likeness in one statement: the
            # latest record is an acceptance by whoever holds it now (or its estate), for the current
            # document or, during the current one's grace period, an earlier one
            cursor.execute(
                f"SELECT d.id, d.in_grace, r.likeness_id, r.id, r.action, r.user_id, r.role, r.document_id FROM"
                f" (SELECT id, grace_until IS NOT NULL AND grace_until > %s AS in_grace FROM {ConsentDocument._meta.db_table}"
                f"  ORDER BY version DESC LIMIT 1) d"
                f" LEFT JOIN {ConsentRecord._meta.db_table} r ON r.likeness_id IN {likeness_in}",
                [at_db, *likeness_params],
            )
            owners = {h.pk: h.owner_id for h in holdings if isinstance(h, Likeness)}
            latest: dict = {}
            current_id, in_grace = None, False
            for doc_id_now, grace, likeness_id, pk, action, user_id, role, doc_id in cursor.fetchall():
                current_id, in_grace = doc_id_now, bool(grace)
                if likeness_id is None:
                    continue
                likeness_id = like_pk.to_python(likeness_id)
                if likeness_id not in latest or pk > latest[likeness_id][0]:
                    latest[likeness_id] = (pk, action, user_id, role, doc_id)
            consent = {
                lid for lid, (_, action, user_id, role, doc_id) in latest.items()
                if action == "accepted" and (user_id == owners.get(lid) or role == "estate") and (doc_id == current_id or in_grace)
            }
        access = {}
        cursor.execute(
            f"SELECT likeness_id, ip_asset_id, kind FROM {AccessEntry._meta.db_table}"
            f" WHERE user_id = %s AND (likeness_id IN {likeness_in} OR ip_asset_id IN {asset_in})",
            [requester.pk, *likeness_params, *asset_params],
        )
        for likeness_id, asset_id, kind in cursor.fetchall():
            access[("likeness", like_pk.to_python(likeness_id)) if likeness_id else ("ip_asset", asset_pk.to_python(asset_id))] = kind
        organisations, verified, categories = set(), False, set()
        cursor.execute(
            f"SELECT m.organisation_id, o.kind, o.verified_at IS NOT NULL, o.category FROM {Membership._meta.db_table} m"
            f" JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id WHERE m.user_id = %s",
            [requester.pk],
        )
        for org_id, kind, is_verified, category in cursor.fetchall():
            organisations.add(org_id)
            if kind == "brand":
                verified = verified or bool(is_verified)
                if category and category.strip():
                    categories.add(normalise_category(category))
        exclusive = set()
        if categories and holdings:
            cursor.execute(
                f"SELECT l.likeness_id, l.ip_asset_id, t.exclusivity_category FROM {Licence._meta.db_table} l"
                f" JOIN {LicenceTerms._meta.db_table} t ON t.id = l.terms_id"
                f" WHERE (l.likeness_id IN {likeness_in} OR l.ip_asset_id IN {asset_in}) AND l.status = %s AND l.ends_at > %s"
                f" AND l.licensee_id <> %s AND t.exclusivity_category <> ''",
                [*likeness_params, *asset_params, Licence.Status.ACTIVE.value, at_db, requester.pk],
            )
            for likeness_id, asset_id, category in cursor.fetchall():
                if normalise_category(category) in categories:
                    exclusive.add(("likeness", like_pk.to_python(likeness_id)) if likeness_id else ("ip_asset", asset_pk.to_python(asset_id)))
    return RequesterFacts(frozenset(consent), access, frozenset(organisations), verified, frozenset(categories), frozenset(exclusive))


def _licensed_party(licence: Licence, facts: RequesterFacts, requester: User, *, quota_already_used: bool) -> policy.PartyFacts:
    holding = licence.holding
    is_likeness = isinstance(holding, Likeness)
    ward = is_ward(holding)
    owner = is_likeness and holding.owner_id == requester.pk
    named = facts.access.get(facts.key(holding)) == AccessEntry.Kind.ALLOW
    return policy.PartyFacts(
        label=holding_label(holding),
        kind="likeness" if is_likeness else "ip_asset",
        # a minor's likeness is never listed: it is used privately by the people its guardian named
        listed=holding.status == "listed" or (ward and holding.status == "draft"),
        revoked=holding.status == "revoked",
        # consent from whoever holds it now (or the estate), with a new version's grace period
        consent_current=holding.pk in facts.consent_current if is_likeness else holding.opted_in_at is not None,
        permits_requester=facts.permits(holding, requester) and (not ward or owner or named),
        minor=ward,
        requester_is_organisation=ward and is_organisation_buyer(requester),
        licence=_licence_facts(licence, quota_already_used=quota_already_used),
        exclusive_conflict=facts.key(holding) in facts.exclusive_elsewhere,
        requires_brief_approval=holding.require_brief_approval,
        content=content_rules_of(holding),
    )


def semantic_screening_on() -> bool:
    return bool(getattr(settings, "CONTENT_SCREENING_SEMANTIC", True))


def screening_guard():
    """The deployment's guard model (``CONTENT_SCREENING_GUARD_MODEL``, a local directory), or None."""
    path = getattr(settings, "CONTENT_SCREENING_GUARD_MODEL", "") or ""
    if not path:
        return None
    from ..screening.guard import load_guard

    return load_guard(path, float(getattr(settings, "CONTENT_SCREENING_GUARD_THRESHOLD", 0.5)))


@functools.lru_cache(maxsize=16)
def _screen_for(semantic: bool, infer: bool, guard_path: str, guard_threshold: float):
    from .. import screening

    guard = screening_guard() if guard_path else None

    def screen(prompt, rules):
        return screening.screen(prompt, rules, semantic=semantic, infer=infer, guard=guard)

    return screen


def _screen(semantic: bool, infer: bool = True):
    # One fixed function per setting, so a compiled screen plan recognises the same screen (and keeps its answer).
    path = getattr(settings, "CONTENT_SCREENING_GUARD_MODEL", "") or ""
    return _screen_for(semantic, infer, path, float(getattr(settings, "CONTENT_SCREENING_GUARD_THRESHOLD", 0.5)))


def screen_parties(*, licences: list[Licence], parent: UsageRecord | None) -> list:
    """The content rules of every party of a brief, as they stand now (no locks)."""
    rules = [content_rules_of(lic.holding) for lic in licences]
    rules += [p.content for p in ancestor_parties(parent) if p.content is not None]
    return rules


def screen_warm(*, licence_ids: list, prompt: str, parent: UsageRecord | None = None) -> None:
    """Before any lock is taken: load the screening model (and the guard) and embed everything a
    full screen of this brief will read, for the parties' rules as they stand now. The screen that
    follows under the locks then runs with ``infer=False``: no model inference under row locks. A
    rule added in between is not in the cache: that screen raises ``NeedsInference`` and the caller
    warms again and retries (``generation.services._screened``)."""
    if not semantic_screening_on():
        return
    from .. import screening

    licences = list(Licence.objects.filter(pk__in=licence_ids).select_related("likeness", "ip_asset"))
    screening.warm(prompt, screen_parties(licences=licences, parent=parent))
    screening_guard()


def screen_warm_many(briefs: list[tuple[list, str, UsageRecord | None]]) -> None:
    """``screen_warm`` for a worker's batch, each brief given as (licence ids, prompt, parent):
    one query for every party licence of the batch (a parent's chain is read once per parent)
    and one model pass for every text the briefs' screens will read."""
    if not semantic_screening_on() or not briefs:
        return
    from .. import screening

    licences = {
        lic.pk: lic
        for lic in Licence.objects.filter(pk__in={pk for ids, _, _ in briefs for pk in ids}).select_related("likeness", "ip_asset")
    }
    rules_of = {pk: content_rules_of(lic.holding) for pk, lic in licences.items()}
    chains: dict = {}
    texts: list[str] = []
    for ids, prompt, parent in briefs:
        rules = [rules_of[pk] for pk in ids if pk in rules_of]
        if parent is not None:
            if parent.pk not in chains:
                chains[parent.pk] = [p.content for p in ancestor_parties(parent) if p.content is not None]
            rules += chains[parent.pk]
        texts += screening.texts_for_warm(prompt, rules)
    screening.warm_texts(texts)
    screening_guard()


def policy_evaluate(
    *,
    licences: list[Licence],
    requester: User,
    prompt: str,
    channel: str | None = None,
    territory: str | None = None,
    parent: UsageRecord | None = None,
    quota_already_used: bool = False,
    infer: bool = True,
) -> policy.Decision:
    """Gather the facts for `policy.decide` and ask it. Call with the licences locked when the
    decision is followed by a quota use. `quota_already_used` re-checks a brief whose unit of
    quota is already counted (a job about to start or finish). The content screen runs in full
    every time (categories, owner rules, the guard), so a rule added after submission stops queued
    work; callers holding locks pass `infer=False` after `screen_warm`, so the screen reads cached
    embeddings only and never runs the model under the locks.

    Queries: the licences and their holdings are the caller's (locked) rows; then one statement
    each for consent (with the current consent document), access lists, the requester's
    organisations, exclusivity held elsewhere (plain SQL, `requester_facts`), and the ancestor
    chain with its usage records, licences, terms and holdings (one recursive statement,
    `ancestor_records`): five, and the count does not grow with parties."""
    at = timezone.now()
    records = ancestor_records(parent)
    # one batch of facts for the licensed holdings and every ancestor's (their rules apply too)
    facts = requester_facts([lic.holding for lic in licences] + [r.licence.holding for _, r in records], requester, at=at)
    parties = [_licensed_party(lic, facts, requester, quota_already_used=quota_already_used) for lic in licences]
    parties += ancestor_parties(parent, requester, facts=facts, records=records)
    commercial = all(lic.terms.commercial_use for lic in licences) if licences else True
    request = policy.BriefRequest(
        requester_id=requester.pk, prompt=prompt, at=at, channel=channel or None, territory=territory or None, commercial=commercial
    )
    return policy.decide(request, policy.Snapshot.compile(parties), screen=_screen(semantic_screening_on(), infer))


def sale_refusals(*, holding, buyer: User, terms, direct: bool = False) -> list[str]:
    """Why `buyer` may not be sold a licence on `holding` under `terms` now (empty: they may).
    The marketplace asks this before it takes money; the policy engine asks again at every brief.
    `direct`: the holder grants it by hand (a guardian naming a person), not through a listing."""
    reasons = []
    label = holding_label(holding)
    ward = is_ward(holding)
    if ward:
        if not direct:
            reasons.append(f"{label} belongs to a minor: it is never sold, only granted by the guardian to people they name.")
        elif holding.status == "revoked":
            reasons.append(f"{label} is revoked.")
        if terms.commercial_use:
            reasons.append(f"{label} is under 18 and cannot be licensed commercially.")
        if is_organisation_buyer(buyer):
            reasons.append(f"{label} belongs to a minor and is never licensed to a brand or a studio.")
        if not named_by_holder(holding, buyer):
            reasons.append(f"{label} belongs to a minor: only people the guardian named may use it.")
        if terms.sublicensable or terms.exclusivity_category or terms.ai_training:
            reasons.append(f"{label} belongs to a minor: no sublicensing, exclusivity or AI training.")
    elif holding.status != "listed":
        reasons.append(f"{label} is not listed.")
    if isinstance(holding, Likeness):
        if not consent_current_for(holding):
            reasons.append(f"{label} needs fresh consent to the current consent document before new licences are sold.")
        if ward and not verification_approved_for(holding):
            reasons.append(f"{label} needs a moderator to approve its verification (and the date of birth) first.")
    elif holding.opted_in_at is None:
        reasons.append(f"{label} is not opted in by its owner.")
    if not permits(holding, buyer):
        reasons.append(f"{label} does not allow you to license it" + (" (ask the talent first)." if holding.permission_level == PermissionLevel.APPROVED else "."))
    if exclusive_conflict(holding, buyer):
        reasons.append(f"{label} is licensed exclusively to another brand in your category.")
    return reasons
