"""The policy snapshot: every party's content rules screened once per decision and each refusal
handed back to the parties it belongs to, exactly as screening party by party would; and the facts
of a real decision gathered with a number of queries that does not grow with the parties."""
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from licensing import policy
from licensing.screening import ContentRules, screen

PROMPTS = [
    "a smiling woman with a can of lemon soda on a beach",
    "Lemon-Soda and a motor bike at a casino, covered in blood",
    "a naked teenager smoking a c i g a r e t t e",
    "an election rally for president with beer",
    "a calm portrait in a studio",
]


def _parties():
    return [
        ContentRules(label="A", blocked_words=("lemon", "casino"), rules=("no alcohol",)),
        ContentRules(label="B", blocked_words=("lemon soda", "Motor Bike"), allowed_categories=frozenset({"violence"})),
        ContentRules(label="C", blocked_words=("motorbike", "cigarette"), rules=("never show smoking", "no alcohol")),
        ContentRules(label="D", allowed_categories=frozenset({"violence", "political_endorsement", "minors"})),
    ]


def _key(refusals):
    return sorted((r.party, r.rule, r.kind) for r in refusals)


def lexical(prompt, rules):
    return screen(prompt, rules, semantic=False)


@pytest.mark.parametrize("prompt", PROMPTS)
def test_one_screen_over_all_parties_refuses_what_each_party_would(prompt):
    parties = _parties()
    plan = policy.ScreenPlan(parties)
    assert _key(plan.refusals(prompt, lexical)) == _key(lexical(prompt, parties))


def test_overlapping_words_refuse_every_party_that_wrote_one():
    plan = policy.ScreenPlan(_parties())
    got = _key(plan.refusals("LEMON SODA on a Motor-Bike", lexical))
    assert ("A", "lemon", "blocked_word") in got
    assert ("B", "lemon soda", "blocked_word") in got
    assert ("B", "Motor Bike", "blocked_word") in got and ("C", "motorbike", "blocked_word") in got


def test_parties_sharing_words_and_rules_get_each_refusal_once_as_alone():
    # twenty parties writing the same words and rules: the plan screens each once, and every party
    # gets exactly the refusals screening it alone gives (no copy per party that shares them)
    parties = [ContentRules(label=f"P{i}", blocked_words=("casino", "motorbike", f"rival{i}"), rules=("no alcohol", "never show smoking"))
               for i in range(20)]
    prompt = "a motorbike outside a casino, rival7 beer and a cigarette"
    got = _key(policy.ScreenPlan(parties).refusals(prompt, lexical))
    assert got == _key(lexical(prompt, parties))
    assert len(got) == len(set(got))
    assert ("P7", "rival7", "blocked_word") in got and ("P8", "rival7", "blocked_word") not in got
    assert sum(1 for p, rule, kind in got if rule == "casino") == 20


def test_a_category_relaxed_by_one_party_is_still_refused_for_the_others():
    plan = policy.ScreenPlan(_parties())
    got = _key(plan.refusals("a knife fight, covered in blood", lexical))
    violence = {p for p, rule, kind in got if rule == "violence"}
    assert violence == {"A", "C"}


def test_the_screen_runs_once_per_prompt_and_plan():
    calls = []

    def counting(prompt, rules):
        calls.append(len(rules))
        return lexical(prompt, rules)

    snapshot = policy.Snapshot.compile([
        policy.PartyFacts(label=r.label, listed=True, revoked=False, consent_current=True, kind="ancestor", content=r) for r in _parties()
    ])
    from datetime import datetime, timezone

    request = policy.BriefRequest(requester_id=1, prompt=PROMPTS[1], at=datetime.now(timezone.utc))
    first = policy.decide(request, snapshot, screen=counting)
    again = policy.decide(request, snapshot, screen=counting)
    assert calls == [1]  # one screen call for four parties, and none for the same brief again
    assert first == again and not first.allowed
    changed = policy.Snapshot.compile([
        policy.PartyFacts(label="A", listed=True, revoked=False, consent_current=True, kind="ancestor",
                          content=ContentRules(label="A", blocked_words=("beach",), allowed_categories=frozenset({"violence"})))
    ])
    assert policy.decide(request, changed, screen=counting).allowed and calls == [1, 1]


# --- the real path: queries per decision ---------------------------------------------------------------

def _brief_parties(n_ancestors: int):
    """A verified brand in a category, licences on a likeness and a studio's character, and a
    remix chain `n_ancestors` deep above the brief."""
    from accounts.models import Membership, Organisation, User
    from licensing import services as licensing
    from licensing.models import Licence
    from tests.factories import UserFactory, granted_licence, licence_on, studio_with_asset

    brand = UserFactory(kind=User.Kind.BRAND)
    org = Organisation.objects.create(name="Fizz", kind=Organisation.Kind.BRAND, category="Soft drinks")
    Organisation.objects.filter(pk=org.pk).update(verified_at="2026-01-01T00:00:00Z")
    Membership.objects.create(user=brand, organisation=org)
    lead = granted_licence(licensee=brand, quota=50, derivatives="allowed")
    asset, _ = studio_with_asset()
    character = licence_on(asset, licensee=brand, generation_quota=50)
    parent = None
    with transaction.atomic():
        for i in range(n_ancestors):
            parent = licensing.usage_record(licence=Licence.objects.select_for_update().get(pk=lead.pk), reference=f"ancestor-{i}", parent=parent)
    licences = list(Licence.objects.select_related("likeness", "ip_asset", "terms").filter(pk__in=[lead.pk, character.pk]).order_by("pk"))
    return brand, licences, parent


def _queries(n_ancestors: int, n_licences: int = 2):
    from licensing.services import policy_evaluate

    brand, licences, parent = _brief_parties(n_ancestors)
    licences = sorted(licences, key=lambda lic: lic.likeness_id is None)[:n_licences]  # the likeness's licence first
    with CaptureQueriesContext(connection) as ctx:
        decision = policy_evaluate(licences=licences, requester=brand, prompt="a portrait on a beach", parent=parent,
                                   quota_already_used=True)
    parties = len(licences) + n_ancestors
    return len(ctx.captured_queries), decision, parties


@pytest.mark.django_db
def test_a_decision_takes_the_same_number_of_queries_at_3_and_20_parties(settings):
    settings.CONTENT_SCREENING_SEMANTIC = False
    small, d_small, p_small = _queries(1)
    large, d_large, p_large = _queries(18)
    assert (p_small, p_large) == (3, 20)
    assert d_small.allowed and d_large.allowed, (d_small.reasons, d_large.reasons)
    assert small == large <= 8


@pytest.mark.django_db
def test_a_decision_takes_the_same_number_of_queries_at_2_and_20_parties(settings):
    """The benchmark's two sizes: one licence and its remix parent; two licences and 18 ancestors."""
    settings.CONTENT_SCREENING_SEMANTIC = False
    small, d_small, p_small = _queries(1, n_licences=1)
    large, d_large, p_large = _queries(18)
    assert (p_small, p_large) == (2, 20)
    assert d_small.allowed and d_large.allowed, (d_small.reasons, d_large.reasons)
    assert small == large <= 8


@pytest.mark.django_db
def test_batched_facts_still_refuse_what_each_party_says(settings):
    """The batched facts are the same facts: a denied requester, a withdrawn consent and a
    revoked ancestor's licence each still refuse."""
    from licensing import services as licensing
    from licensing.models import AccessEntry, Licence

    settings.CONTENT_SCREENING_SEMANTIC = False
    brand, licences, parent = _brief_parties(3)
    likeness = next(lic.likeness for lic in licences if lic.likeness_id)
    AccessEntry.objects.create(likeness=likeness, user=brand, kind=AccessEntry.Kind.DENY)
    licensing.licence_transition(licence=Licence.objects.get(pk=parent.licence_id), to=Licence.Status.REVOKED, actor=None, reason="test")
    parent.refresh_from_db()
    licences = list(Licence.objects.select_related("likeness", "ip_asset", "terms").filter(pk__in=[lic.pk for lic in licences]).order_by("pk"))
    decision = licensing.policy_evaluate(licences=licences, requester=brand, prompt="a portrait", parent=parent)
    text = " ".join(decision.reasons)
    assert not decision.allowed
    assert "does not allow you to use it" in text
    assert "has been revoked" in text


def _orm_ancestor_records(parent):
    """The remix chain as the ORM read it before the chain became one statement: the references by
    the recursive query, then every usage record of them with its licence, terms and holding."""
    from licensing.models import UsageRecord

    refs, record = [], parent
    while record is not None:  # up the chain, a row at a time
        refs.append(record.reference)
        record = record.parent
    by_ref = {}
    for record in UsageRecord.objects.filter(reference__in=set(refs)).select_related(
        "licence__terms", "licence__likeness", "licence__ip_asset"
    ).order_by("pk"):
        by_ref.setdefault(record.reference, []).append(record)
    return [(reference, record) for reference in dict.fromkeys(refs) for record in by_ref.get(reference, ())]


def _row(obj, like=None):
    """The fields of `obj` that `like` (the chain statement's instance) has loaded, all of them without it."""
    if obj is None:
        return None
    deferred = obj.get_deferred_fields() if like is None else like.get_deferred_fields()
    return (type(obj), [(f.attname, getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.attname not in deferred])


@pytest.mark.django_db
def test_the_chain_in_one_statement_reads_the_same_rows_and_facts_as_the_orm(settings):
    """A deep remix chain over a likeness and a studio's character (so both holdings' joins are
    read), two usage records under one reference (a use of two licences), holders' rules, lists and
    relaxations (JSON), a revoked licence and a released use (dates): the one-statement chain gives
    the same records, licences, terms and holdings, field by field, and the same party facts."""
    from licensing import services as licensing
    from licensing.models import Licence
    from licensing.services.evaluation import _ANCESTOR_FIELDS, ancestor_parties, ancestor_records, requester_facts
    from tests.factories import licence_on

    settings.CONTENT_SCREENING_SEMANTIC = False
    brand, licences, _ = _brief_parties(0)
    lead, character = sorted(licences, key=lambda lic: lic.likeness_id is None)
    licensing.controls_update(holding=lead.likeness, actor=lead.likeness.owner, blocked_words=["rivalcola"], content_rules=["no alcohol"])
    asset = character.ip_asset
    other = licence_on(asset, licensee=brand, generation_quota=50, derivatives="approval")
    parent = None
    with transaction.atomic():
        for i in range(14):
            lic = (lead, character)[i % 3 == 2]
            parent = licensing.usage_record(licence=Licence.objects.select_for_update().get(pk=lic.pk), reference=f"remix-{i}", parent=parent)
            if i == 5:  # one use of two licences: the same reference, two records
                licensing.usage_record(licence=Licence.objects.select_for_update().get(pk=other.pk), reference=f"remix-{i}", parent=None)
    licensing.usage_release(reference="remix-3", reason="cancelled in a test")
    licensing.licence_transition(licence=Licence.objects.get(pk=other.pk), to=Licence.Status.REVOKED, actor=None, reason="test")

    expected, got = _orm_ancestor_records(parent), ancestor_records(parent)
    assert len(got) == len(expected) == 15
    assert [(ref, rec.pk) for ref, rec in got] == [(ref, rec.pk) for ref, rec in expected]
    assert {type(rec.licence.holding) for _, rec in got} == {type(lead.likeness), type(asset)}
    def rows(records, like):
        return [
            (_row(r, g), _row(r.licence, g.licence), _row(r.licence.terms, g.licence.terms), _row(r.licence.likeness, g.licence.likeness),
             _row(r.licence.ip_asset, g.licence.ip_asset))
            for (_, r), (_, g) in zip(records, like)
        ]

    with CaptureQueriesContext(connection) as ctx:  # the rows came with the statement, with every field the facts read
        read = rows(got, got)
        holdings = [lead.likeness, asset]
        facts = requester_facts(holdings + [r.licence.holding for _, r in got], brand)
        parties = ancestor_parties(parent, brand, facts=facts, records=got)
    assert len(ctx.captured_queries) == 4  # requester_facts' own statements, nothing deferred read back
    assert read == rows(expected, got)
    loaded = {model: set(names) for _, model, names in _ANCESTOR_FIELDS}  # what was read is what the statement says it reads
    assert all({name for name, _ in row[1]} == loaded[row[0]] for r in read for row in r if row)
    assert parties == ancestor_parties(parent, brand, facts=facts, records=expected)
    assert parties == ancestor_parties(parent, brand)  # the facts asked holding by holding agree
    # a licence and a holding that several uses share are one instance each (read, never saved)
    assert len({id(r.licence.holding) for _, r in got}) == 2 and len({id(r.licence) for _, r in got}) == 3
    decision = licensing.policy_evaluate(licences=licences, requester=brand, prompt="a portrait", parent=parent)
    assert not decision.allowed and "has been revoked" in " ".join(decision.reasons)


@pytest.mark.django_db
def test_a_parent_with_no_chain_above_it_is_its_own_records():
    from licensing import services as licensing
    from licensing.models import Licence
    from licensing.services.evaluation import ancestor_records

    _, licences, _ = _brief_parties(0)
    with transaction.atomic():
        parent = licensing.usage_record(licence=Licence.objects.select_for_update().get(pk=licences[0].pk), reference="only", parent=None)
    assert [(ref, rec.pk) for ref, rec in ancestor_records(parent)] == [("only", parent.pk)]
    assert ancestor_records(None) == []


@pytest.mark.django_db
def test_the_chain_statement_is_prepared_once_and_reads_the_same_prepared_or_not():
    """On PostgreSQL the chain statement is a prepared statement (one per connection, whatever the
    parent's id: a small one and one past 2**31 share it; a rolled-back savepoint, which makes
    psycopg forget what it prepared, changes nothing), and with prepared statements off
    (`DATABASE_PREPARED_STATEMENTS=off`) it reads the same rows. Still one query each time."""
    from licensing import services as licensing
    from licensing.models import Licence, UsageRecord
    from licensing.services.evaluation import ancestor_parties, ancestor_records

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    brand, licences, parent = _brief_parties(3)
    lead = next(lic for lic in licences if lic.likeness_id)
    far = UsageRecord.objects.create(id=2**40, licence=Licence.objects.get(pk=lead.pk), reference="far-away", parent=parent)
    connection.ensure_connection()
    raw = connection.connection

    def read(record):
        with CaptureQueriesContext(connection) as ctx:
            got = ancestor_records(record)
        assert len(ctx.captured_queries) == 1
        return [(ref, rec.pk, rec.licence.pk, rec.licence.holding.pk) for ref, rec in got]

    def chain_names():
        return [name for (query, _), name in raw._prepared._names.items() if b"WITH RECURSIVE chain" in query]

    assert raw.prepare_threshold is not None  # the settings' default
    near, farther = read(parent), read(far)
    assert [r[0] for r in near] == ["ancestor-2", "ancestor-1", "ancestor-0"]
    assert [r[0] for r in farther] == ["far-away", "ancestor-2", "ancestor-1", "ancestor-0"] and farther[1:] == near
    assert len(chain_names()) == 1
    try:
        with transaction.atomic():
            read(far)
            raise RuntimeError("roll the savepoint back")
    except RuntimeError:
        pass
    assert read(far) == farther and read(parent) == near
    threshold = raw.prepare_threshold
    try:
        raw.prepare_threshold = None  # as with DATABASE_PREPARED_STATEMENTS=off
        assert read(far) == farther and read(parent) == near
        assert ancestor_parties(far, brand) == ancestor_parties(far, brand, records=ancestor_records(far))
    finally:
        raw.prepare_threshold = threshold
    with transaction.atomic():
        decision = licensing.policy_evaluate(licences=[Licence.objects.select_for_update().get(pk=lead.pk)], requester=brand,
                                             prompt="a portrait on a beach", parent=far, quota_already_used=True)
    assert decision.allowed, decision.reasons
