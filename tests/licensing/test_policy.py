from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from licensing.policy import BriefRequest, LicenceFacts, PartyFacts, decide

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
GOOD_PARTY = PartyFacts(label="The likeness of A", listed=True, revoked=False, consent_current=True)


def licence(**kw):
    base = dict(status="active", starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1), quota_total=5, quota_used=0, licensee_id=1)
    base.update(kw)
    return LicenceFacts(**base)


def brief(**kw):
    base = dict(requester_id=1, prompt="a portrait", at=NOW)
    base.update(kw)
    return BriefRequest(**base)


def test_allows_when_everything_holds():
    assert decide(brief(), licence(), [GOOD_PARTY]).allowed


def test_each_failure_is_named():
    cases = {
        "someone else": (brief(requester_id=2), licence(), [GOOD_PARTY]),
        "revoked, not active": (brief(), licence(status="revoked"), [GOOD_PARTY]),
        "has ended": (brief(), licence(ends_at=NOW), [GOOD_PARTY]),
        "not started": (brief(), licence(starts_at=NOW + timedelta(hours=1)), [GOOD_PARTY]),
        "quota (5) is used up": (brief(), licence(quota_used=5), [GOOD_PARTY]),
        "has been revoked by the rights holder": (brief(), licence(), [PartyFacts("The likeness of A", True, True, True)]),
        "no current consent": (brief(), licence(), [PartyFacts("The likeness of A", True, False, False)]),
        "not currently listed": (brief(), licence(), [PartyFacts("The likeness of A", False, False, True)]),
    }
    for words, (b, lic, parties) in cases.items():
        d = decide(b, lic, parties)
        assert not d.allowed
        assert any(words in r for r in d.reasons), (words, d.reasons)


party = st.builds(PartyFacts, label=st.text(max_size=5), listed=st.booleans(), revoked=st.booleans(), consent_current=st.booleans())
# A licence always names at least one rights holder; with none the engine refuses outright.
parties = st.lists(party, min_size=1, max_size=4)


@given(parties, st.builds(PartyFacts, label=st.just("extra"), listed=st.booleans(), revoked=st.booleans(), consent_current=st.booleans()))
def test_adding_a_party_never_widens(ps, extra):
    before = decide(brief(), licence(), ps)
    after = decide(brief(), licence(), ps + [extra])
    assert not (after.allowed and not before.allowed)


def test_no_party_refuses():
    assert not decide(brief(), licence(), []).allowed


@given(st.sampled_from(["pending", "suspended", "expired", "revoked"]), parties)
def test_a_licence_that_is_not_active_allows_nothing(status, ps):
    assert not decide(brief(), licence(status=status), ps + [GOOD_PARTY]).allowed


@given(st.integers(0, 50), st.integers(1, 50))
def test_quota_is_never_exceeded(used, total):
    d = decide(brief(), licence(quota_used=used, quota_total=total), [GOOD_PARTY])
    assert d.allowed == (used < total)
