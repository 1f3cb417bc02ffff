"""The policy engine's laws, as properties (hypothesis) over arbitrary parties and requests."""
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from licensing.policy import BriefRequest, LicenceFacts, PartyFacts, decide
from licensing.screening import ContentRules, screen

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def lic(**kw):
    base = dict(status="active", starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1), quota_total=5, quota_used=0, licensee_id=1)
    base.update(kw)
    return LicenceFacts(**base)


def party(**kw):
    base = dict(label="The likeness of A", listed=True, revoked=False, consent_current=True, licence=lic())
    base.update(kw)
    return PartyFacts(**base)


def brief(**kw):
    base = dict(requester_id=1, prompt="a portrait on a beach", at=NOW)
    base.update(kw)
    return BriefRequest(**base)


def lexical(prompt, rules):
    return screen(prompt, rules, semantic=False)


def test_allows_when_everything_holds():
    d = decide(brief(), [party()])
    assert d.allowed and not d.needs_approval_from


def test_each_failure_is_named():
    cases = {
        "belongs to someone else": (brief(requester_id=2), [party()]),
        "is revoked, not active": (brief(), [party(licence=lic(status="revoked"))]),
        "has ended": (brief(), [party(licence=lic(ends_at=NOW))]),
        "has not started": (brief(), [party(licence=lic(starts_at=NOW + timedelta(hours=1)))]),
        "quota (5)": (brief(), [party(licence=lic(quota_used=5))]),
        "revoked by the rights holder": (brief(), [party(revoked=True)]),
        "no current consent": (brief(), [party(consent_current=False)]),
        "not currently listed": (brief(), [party(listed=False)]),
        "does not allow you": (brief(), [party(permits_requester=False)]),
        "under 18": (brief(commercial=True), [party(minor=True)]),
        "exclusively to another brand": (brief(), [party(exclusive_conflict=True)]),
        "non-commercial use only": (brief(commercial=True), [party(licence=lic(commercial_use=False))]),
        "does not cover the tv channel": (brief(channel="tv"), [party(licence=lic(channels=("web",)))]),
        "does not cover territory FR": (brief(territory="fr"), [party(licence=lic(territories=("GB",)))]),
        "You hold no licence": (brief(), [party(licence=None)]),
        "does not allow remixes": (brief(), [party(), party(kind="ancestor", licence=None, derivatives="none", label="Remix parent")]),
        "not opted in": (brief(), [party(kind="ip_asset", consent_current=False, label="Character X")]),
    }
    for words, (b, parties) in cases.items():
        d = decide(b, parties)
        assert not d.allowed, words
        assert any(words in r for r in d.reasons), (words, d.reasons)


def test_a_refused_brief_names_the_party_and_a_holder_rule_but_never_its_words():
    rules = ContentRules(label="The likeness of A", blocked_words=("motorbike",))
    d = decide(brief(prompt="riding a motorbike at night"), [party(content=rules)], screen=lexical)
    assert not d.allowed
    assert d.reasons == ("The likeness of A: refused by a rule of the rights holder.",)
    assert "motorbike" not in str(d.as_dict())
    # the refusals themselves (with the words) travel beside the decision, for the holder's own view
    [refusal] = d.refusals
    assert refusal.rule == "motorbike" and "refusals" not in d.as_dict()


def test_approval_is_asked_for_not_refused():
    d = decide(brief(), [party(requires_brief_approval=True), party(kind="ancestor", licence=None, derivatives="approval", label="Parent")])
    assert d.allowed and set(d.needs_approval_from) == {"The likeness of A", "Parent"}


# --- the laws -------------------------------------------------------------------------------------

licences = st.builds(
    LicenceFacts,
    status=st.sampled_from(["active", "active", "active", "pending", "suspended", "expired", "revoked"]),
    starts_at=st.none() | st.just(NOW - timedelta(days=1)) | st.just(NOW + timedelta(days=1)),
    ends_at=st.none() | st.just(NOW + timedelta(days=1)) | st.just(NOW - timedelta(seconds=1)),
    quota_total=st.integers(1, 10),
    quota_used=st.integers(0, 12),
    licensee_id=st.sampled_from([1, 1, 2]),
    commercial_use=st.booleans(),
    channels=st.sampled_from([(), ("web",), ("tv", "web")]),
    territories=st.sampled_from([(), ("GB",), ("GB", "FR")]),
)
parties_st = st.builds(
    PartyFacts,
    label=st.sampled_from(["A", "B", "C"]),
    listed=st.booleans(),
    revoked=st.booleans(),
    consent_current=st.booleans(),
    kind=st.sampled_from(["likeness", "ip_asset", "ancestor"]),
    permits_requester=st.booleans(),
    minor=st.booleans(),
    licence=st.none() | licences,
    derivatives=st.sampled_from(["none", "allowed", "approval", "reciprocal"]),
    exclusive_conflict=st.booleans(),
    requires_brief_approval=st.booleans(),
    content=st.none() | st.builds(ContentRules, label=st.just("X"), blocked_words=st.sampled_from([(), ("beach",), ("rocket",)])),
)
requests = st.builds(
    BriefRequest,
    requester_id=st.just(1),
    prompt=st.sampled_from(["a portrait on a beach", "a rocket launch", "", "a cat"]),
    at=st.just(NOW),
    channel=st.sampled_from([None, "web", "tv"]),
    territory=st.sampled_from([None, "GB", "FR"]),
    commercial=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(requests, st.lists(parties_st, min_size=1, max_size=4), parties_st)
def test_adding_a_party_never_widens(req, ps, extra):
    before = decide(req, ps, screen=lexical)
    after = decide(req, ps + [extra], screen=lexical)
    assert not (after.allowed and not before.allowed)
    if after.allowed:  # nor drops an approval somebody asked for
        assert set(before.needs_approval_from) <= set(after.needs_approval_from)


@settings(max_examples=300, deadline=None)
@given(requests, st.lists(parties_st, min_size=1, max_size=4), st.integers(0, 3), st.sampled_from(["revoke", "delist", "deny", "no_consent", "quota", "expire", "rule"]))
def test_adding_a_restriction_never_widens(req, ps, index, restriction):
    index %= len(ps)
    p = ps[index]
    if restriction == "revoke":
        q = PartyFacts(**{**p.__dict__, "revoked": True})
    elif restriction == "delist":
        q = PartyFacts(**{**p.__dict__, "listed": False})
    elif restriction == "deny":
        q = PartyFacts(**{**p.__dict__, "permits_requester": False})
    elif restriction == "no_consent":
        q = PartyFacts(**{**p.__dict__, "consent_current": False})
    elif restriction == "quota" and p.licence:
        q = PartyFacts(**{**p.__dict__, "licence": LicenceFacts(**{**p.licence.__dict__, "quota_used": p.licence.quota_total})})
    elif restriction == "expire" and p.licence:
        q = PartyFacts(**{**p.__dict__, "licence": LicenceFacts(**{**p.licence.__dict__, "ends_at": NOW})})
    else:
        q = PartyFacts(**{**p.__dict__, "content": ContentRules(label="X", blocked_words=("beach", "rocket", "cat"))})
    before = decide(req, ps, screen=lexical)
    after = decide(req, ps[:index] + [q] + ps[index + 1 :], screen=lexical)
    assert not (after.allowed and not before.allowed)


@settings(max_examples=200, deadline=None)
@given(requests, st.lists(parties_st, min_size=1, max_size=4), st.sampled_from(["pending", "suspended", "expired", "revoked"]))
def test_a_licence_that_is_not_active_allows_nothing(req, ps, status):
    bad = PartyFacts(**{**ps[0].__dict__, "kind": "likeness", "licence": LicenceFacts(**{**lic().__dict__, "status": status})})
    assert not decide(req, [bad, *ps[1:]], screen=lexical).allowed


@given(st.integers(0, 50), st.integers(1, 50))
def test_quota_is_never_exceeded(used, total):
    d = decide(brief(), [party(licence=lic(quota_used=used, quota_total=total))])
    assert d.allowed == (used < total)


def test_no_party_refuses():
    assert not decide(brief(), []).allowed
