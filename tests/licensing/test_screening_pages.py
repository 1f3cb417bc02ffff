"""The content screen's pages: the talent's "test my rules", relaxation limits on the controls,
the moderators' refusal counts and their "this refusal was wrong" review list."""
import html
from datetime import date, timedelta

import pytest

from accounts.errors import Conflict, DomainError
from accounts.models import User
from generation import services as gen
from licensing import services as licensing
from licensing.models import ScreeningRefusal
from tests.factories import UserFactory, granted_licence, published_likeness

pytestmark = pytest.mark.django_db


def test_talent_tests_their_rules_before_publishing(client):
    likeness = published_likeness()
    licensing.controls_update(holding=likeness, actor=likeness.owner, content_rules=["no alcohol"])
    client.force_login(likeness.owner)
    r = client.get("/talent/screening/test/")
    assert r.status_code == 200 and b"Test my rules" in r.content and b"no alcohol" in r.content  # prefilled
    assert "Stalking and personal locations".encode() in r.content  # the definitions the talent reads
    r = client.post("/talent/screening/test/", {
        "rules": "no alcohol", "briefs": "her toasting with champagne at a party\nher drinking lemonade on a beach\nv0te f0r senator blake",
    })
    assert r.status_code == 200
    text = html.unescape(r.content.decode())
    assert "3 sample briefs screened: 2 refused, 1 allowed." in text
    assert 'your rule "no alcohol"' in text and "Political endorsement" in text


def test_rules_test_form_keeps_input_and_shows_errors(client):
    likeness = published_likeness()
    client.force_login(likeness.owner)
    r = client.post("/talent/screening/test/", {"rules": "no alcohol", "briefs": "   "})
    assert r.status_code == 400 and b"Write at least one sample brief." in r.content and b"no alcohol" in r.content
    r = client.post("/talent/screening/test/", {"rules": "", "briefs": "\n".join(f"brief {i}" for i in range(11))})
    assert b"At most 10 sample briefs" in r.content and b"brief 10" in r.content
    brand = UserFactory(kind=User.Kind.BRAND)
    client.force_login(brand)
    assert client.get("/talent/screening/test/").status_code == 403


def test_only_relaxable_categories_can_be_relaxed():
    likeness = published_likeness()
    owner = likeness.owner
    for never in ("minors", "stalking", "deceptive", "sexual", "political_endorsement"):
        with pytest.raises(DomainError):
            licensing.controls_update(holding=likeness, actor=owner, allowed_categories=[never])
    licensing.controls_update(holding=likeness, actor=owner, allowed_categories=["violence"])
    # an adult performer may relax sexual content (after a recent verification, which the factory
    # did, and a moderator's approval of the profile: tests/licensing/test_screening_profiles.py)
    claim = licensing.screening_profile_claim(likeness=likeness, actor=owner, profile="adult_performer",
                                              statement="I perform in adult films for a studio in Berlin.")
    licensing.screening_profile_decide(claim_id=claim.pk, actor=UserFactory(kind=User.Kind.MODERATOR), approve=True)
    likeness.refresh_from_db()
    licensing.controls_update(holding=likeness, actor=owner, allowed_categories=["sexual"])
    likeness.refresh_from_db()
    assert likeness.screening_profile == "adult_performer" and likeness.allowed_categories == ["sexual"]
    with pytest.raises(DomainError):
        licensing.controls_update(holding=likeness, actor=owner, screening_profile="astronaut")


def test_a_minor_may_relax_nothing_and_stored_relaxations_do_not_count():
    likeness = published_likeness()
    licensing.controls_update(holding=likeness, actor=likeness.owner, allowed_categories=["violence"])
    # a relaxation stored while the record said adult; the date of birth is then corrected to a
    # minor's (a moderator's correction: the talent cannot change it once checked)
    from licensing.models import Likeness

    Likeness.objects.filter(pk=likeness.pk).update(date_of_birth=date.today() - timedelta(days=365 * 15))
    likeness.refresh_from_db()
    with pytest.raises(DomainError):
        licensing.controls_update(holding=likeness, actor=likeness.owner, allowed_categories=["violence"])
    from licensing.services.evaluation import content_rules_of

    assert content_rules_of(likeness).allowed_categories == frozenset()  # the stored "violence" is ignored


def test_relaxing_needs_a_recent_verification(monkeypatch):
    from django.utils import timezone

    likeness = published_likeness()
    later = timezone.now() + timedelta(days=30)  # verification decisions are append-only: move the clock instead
    monkeypatch.setattr("licensing.services.holdings.timezone.now", lambda: later)
    with pytest.raises(Conflict):
        licensing.controls_update(holding=likeness, actor=likeness.owner, allowed_categories=["violence"])


def test_moderators_count_refusals_and_mark_one_wrong(client, builtin_model):
    licence = granted_licence()
    licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, blocked_words=["speedboat"])
    for prompt in ("her in a speedboat", "v0te f0r senator blake", "a portrait by the sea"):
        try:
            gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=prompt)
        except DomainError:
            pass
    rows = ScreeningRefusal.objects.all()
    assert {r.category for r in rows} >= {"holder_rule", "political_endorsement"}
    moderator = UserFactory(kind=User.Kind.MODERATOR)
    client.force_login(moderator)
    r = client.get("/moderation/screening/")
    text = r.content.decode()
    assert r.status_code == 200 and "Political endorsement" in text and "A rule of the rights holder" in text
    target = rows.get(category="holder_rule")
    r = client.post("/moderation/screening/", {"refusal": target.pk, "note": "speedboats are fine here"}, follow=True)
    assert "on the review list" in r.content.decode() and "speedboats are fine here" in r.content.decode()
    target.refresh_from_db()
    assert target.marked_wrong_by == moderator
    r = client.post("/moderation/screening/", {"refusal": "x"})
    assert r.status_code == 400 and b"could not be saved" in r.content
    # not for anyone else
    client.force_login(licence.licensee)
    assert client.get("/moderation/screening/").status_code == 403
    with pytest.raises(DomainError):
        licensing.screening_refusal_mark_wrong(refusal_id=target.pk, actor=licence.licensee)


def test_every_use_view_shows_the_holder_their_exact_rule(client, builtin_model):
    licence = granted_licence()
    licensing.controls_update(holding=licence.likeness, actor=licence.likeness.owner, blocked_words=["speedboat"])
    with pytest.raises(DomainError) as exc:
        gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="her in a sp33dboat")
    assert "speedboat" not in " ".join([exc.value.message, *exc.value.reasons]).lower()
    client.force_login(licence.likeness.owner)
    r = client.get("/talent/uses/")
    text = html.unescape(r.content.decode())
    assert r.status_code == 200 and "your blocked word “speedboat”" in text
