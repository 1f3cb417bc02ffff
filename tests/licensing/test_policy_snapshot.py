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


def _queries(n_ancestors: int):
    from licensing.services import policy_evaluate

    brand, licences, parent = _brief_parties(n_ancestors)
    with CaptureQueriesContext(connection) as ctx:
        decision = policy_evaluate(licences=licences, requester=brand, prompt="a portrait on a beach", parent=parent,
                                   quota_already_used=True)
    parties = 2 + n_ancestors
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
