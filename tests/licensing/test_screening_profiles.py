"""A likeness's screening profile (politician, adult performer), played by everyone who would like
to set it: the talent claims it, a moderator approves it; a brand, an agent, a minor's guardian, a
stale verification and the talent approving their own claim all fail."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.errors import Conflict, DomainError, Forbidden
from accounts.models import Membership, Organisation, User
from licensing import services as licensing
from licensing.models import AuditEvent, Likeness, ScreeningProfileClaim, ScreeningRefusal
from tests.factories import UserFactory, moderator, published_likeness, verified_likeness

pytestmark = pytest.mark.django_db

STATEMENT = "I am the Green candidate for mayor of Leeds in the 2027 election; this is my own campaign."


def claim_via_api(api, user, likeness, profile="politician", statement=STATEMENT):
    api.force_authenticate(user)
    return api.post(f"/api/likenesses/{likeness.pk}/screening-profile/", {"profile": profile, "statement": statement}, format="json")


def test_talent_claims_a_moderator_approves_then_the_talent_relaxes(api):
    likeness = published_likeness()
    talent = likeness.owner
    # before: political endorsement cannot be relaxed, and the profile is not a control
    with pytest.raises(DomainError):
        licensing.controls_update(holding=likeness, actor=talent, allowed_categories=["political_endorsement"])
    with pytest.raises(DomainError, match="claimed by the talent"):
        licensing.controls_update(holding=likeness, actor=talent, screening_profile="politician")
    r = claim_via_api(api, talent, likeness)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["profile"] == "general" and body["latest_claim"]["status"] == "pending"
    assert "political_endorsement" not in body["relaxable_categories"]
    # a second claim while one waits
    assert claim_via_api(api, talent, likeness, profile="adult_performer",
                         statement="I perform in adult films for a studio in Berlin, under my own name.").status_code == 409
    # the talent cannot decide it, through the API or the service
    r = api.post(f"/api/moderation/screening-profiles/{body['latest_claim']['id']}/", {"approve": True}, format="json")
    assert r.status_code == 403
    mod = moderator()
    api.force_authenticate(mod)
    queue = api.get("/api/moderation/screening-profiles/").json()
    assert [c["id"] for c in queue] == [body["latest_claim"]["id"]] and queue[0]["statement"] == STATEMENT
    r = api.post(f"/api/moderation/screening-profiles/{queue[0]['id']}/", {"approve": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    # deciding twice
    assert api.post(f"/api/moderation/screening-profiles/{queue[0]['id']}/", {"approve": False, "reason": "x"}, format="json").status_code == 409
    likeness.refresh_from_db()
    assert likeness.screening_profile == "politician"
    licensing.controls_update(holding=likeness, actor=talent, allowed_categories=["political_endorsement"])
    likeness.refresh_from_db()
    assert likeness.allowed_categories == ["political_endorsement"]
    assert AuditEvent.objects.filter(action="screening_profile.approved", actor=mod).exists()
    # back to general: at once, and the relaxation is blocked again
    api.force_authenticate(talent)
    r = api.post(f"/api/likenesses/{likeness.pk}/screening-profile/", {"profile": "general"}, format="json")
    assert r.status_code == 200 and r.json()["profile"] == "general"
    likeness.refresh_from_db()
    assert likeness.allowed_categories == [] and likeness.screening_profile == "general"


def test_a_rejection_tells_the_talent_why():
    likeness = published_likeness()
    claim = licensing.screening_profile_claim(likeness=likeness, actor=likeness.owner, profile="adult_performer",
                                              statement="I perform in adult films for a studio in Berlin.")
    mod = moderator()
    with pytest.raises(DomainError, match="why"):
        licensing.screening_profile_decide(claim_id=claim.pk, actor=mod, approve=False)
    licensing.screening_profile_decide(claim_id=claim.pk, actor=mod, approve=False, reason="No evidence of the studio.")
    claim.refresh_from_db()
    likeness.refresh_from_db()
    assert claim.status == "rejected" and claim.reason == "No evidence of the studio." and likeness.screening_profile == "general"


def test_a_brand_cannot_claim_or_decide(api):
    likeness = published_likeness()
    brand = UserFactory(kind=User.Kind.BRAND)
    assert claim_via_api(api, brand, likeness).status_code == 404  # someone else's likeness reads as not found
    with pytest.raises(Forbidden):
        licensing.screening_profile_claim(likeness=likeness, actor=brand, profile="politician", statement=STATEMENT)
    claim = licensing.screening_profile_claim(likeness=likeness, actor=likeness.owner, profile="politician", statement=STATEMENT)
    api.force_authenticate(brand)
    assert api.get("/api/moderation/screening-profiles/").status_code == 403
    assert api.post(f"/api/moderation/screening-profiles/{claim.pk}/", {"approve": True}, format="json").status_code == 403
    likeness.refresh_from_db()
    assert likeness.screening_profile == "general"


def test_an_agent_cannot_claim_even_when_managing(api):
    likeness = published_likeness()
    agency = Organisation.objects.create(name="Stars Agency", kind="agency")
    agent = UserFactory(kind=User.Kind.TALENT)
    Membership.objects.create(user=agent, organisation=agency)
    licensing.management_grant(likeness=likeness, talent=likeness.owner, agency=agency)
    r = claim_via_api(api, agent, likeness)
    assert r.status_code == 403 and "talent themselves" in r.json()["detail"]
    assert api.get(f"/api/likenesses/{likeness.pk}/screening-profile/").json()["latest_claim"] is None
    # nor through the controls
    r = api.patch(f"/api/likenesses/{likeness.pk}/controls/", {"screening_profile": "politician"}, format="json")
    likeness.refresh_from_db()
    assert likeness.screening_profile == "general" and not ScreeningProfileClaim.objects.exists()


def test_a_minor_cannot_claim_and_an_approval_cannot_land_on_a_minor(api):
    guardian = UserFactory(kind=User.Kind.TALENT)
    today = timezone.now().date()
    ward = verified_likeness(owner=guardian, name="Kid Star", date_of_birth=today.replace(year=today.year - 12), as_guardian=True,
                             ward_email="kid@example.test")
    r = claim_via_api(api, guardian, ward, profile="adult_performer", statement="Please let my child's likeness do anything.")
    assert r.status_code == 403 and "minor" in r.json()["detail"]
    assert not ScreeningProfileClaim.objects.exists()
    # an adult's claim, then the date of birth is corrected to a minor's before a moderator looks
    adult = published_likeness()
    claim = licensing.screening_profile_claim(likeness=adult, actor=adult.owner, profile="adult_performer",
                                              statement="I perform in adult films for a studio in Berlin.")
    Likeness.objects.filter(pk=adult.pk).update(date_of_birth=today - timedelta(days=365 * 16))
    with pytest.raises(Conflict):
        licensing.screening_profile_decide(claim_id=claim.pk, actor=moderator(), approve=True)
    adult.refresh_from_db()
    assert adult.screening_profile == "general"


def test_a_stale_verification_cannot_claim(api, monkeypatch):
    likeness = published_likeness()
    later = timezone.now() + timedelta(days=30)  # verification decisions are append-only: move the clock instead
    monkeypatch.setattr("licensing.services.holdings.timezone.now", lambda: later)
    r = claim_via_api(api, likeness.owner, likeness)
    assert r.status_code == 409 and r.json()["code"] == "reverify"
    assert not ScreeningProfileClaim.objects.exists()


def test_claim_input_is_checked(api):
    likeness = published_likeness()
    assert claim_via_api(api, likeness.owner, likeness, statement="me").status_code == 400
    assert claim_via_api(api, likeness.owner, likeness, profile="astronaut").status_code == 400
    assert not ScreeningProfileClaim.objects.exists()


def test_profile_in_the_browser_talent_claims_moderator_approves(client):
    likeness = published_likeness()
    client.force_login(likeness.owner)
    page = f"/talent/likenesses/{likeness.pk}/rules/"
    r = client.get(page)
    assert r.status_code == 200 and "Screening profile" in r.content.decode()
    r = client.post(page, {"action": "profile", "profile": "politician", "statement": "me"})
    assert r.status_code == 400 and "at least 20 characters" in r.content.decode() and "politician" in r.content.decode()
    r = client.post(page, {"action": "profile", "profile": "politician", "statement": STATEMENT}, follow=True)
    text = r.content.decode()
    assert "waiting for a moderator" in text and "Waiting for a moderator" in text
    mod = moderator()
    client.force_login(mod)
    r = client.get("/moderation/screening/")
    assert STATEMENT in r.content.decode() and "Kid" not in r.content.decode()
    claim = ScreeningProfileClaim.objects.get()
    r = client.post("/moderation/screening/", {"action": "profile", "claim": claim.pk, "decision": "reject", "reason": ""})
    assert r.status_code == 400 and "why the claim is rejected" in r.content.decode()
    r = client.post("/moderation/screening/", {"action": "profile", "claim": claim.pk, "decision": "approve", "reason": ""}, follow=True)
    assert "was approved" in r.content.decode()
    client.force_login(likeness.owner)
    r = client.get(page)
    assert "Political endorsement: You endorsing a candidate" in r.content.decode()  # now offered on the rules form


def test_moderators_download_the_review_list(client, builtin_model):
    from generation import services as gen
    from tests.factories import granted_licence

    licence = granted_licence()
    for prompt in ("v0te f0r senator blake", "=HYPERLINK(\"http://x\") vote for senator blake"):
        with pytest.raises(DomainError):
            gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt=prompt)
    mod = moderator()
    for r in ScreeningRefusal.objects.all():
        licensing.screening_refusal_mark_wrong(refusal_id=r.pk, actor=mod, note="a test")
    client.force_login(mod)
    r = client.get("/moderation/screening/review-list/?format=jsonl")
    assert r.status_code == 200 and r["Content-Disposition"] == 'attachment; filename="screening-review.jsonl"'
    rows = [json.loads(line) for line in r.content.decode().splitlines()]
    assert {row["brief"] for row in rows} == {"v0te f0r senator blake", "=HYPERLINK(\"http://x\") vote for senator blake"}
    assert all(row["label"] == "benign" and row["refused_as"] == "political_endorsement" and row["note"] == "a test" for row in rows)
    r = client.get("/moderation/screening/review-list/?format=csv")
    text = r.content.decode()
    assert r.status_code == 200 and text.startswith("brief,label,refused_as") and "'=HYPERLINK" in text  # no formula runs
    assert client.get("/moderation/screening/review-list/?format=xml").status_code == 400
    client.force_login(licence.licensee)
    assert client.get("/moderation/screening/review-list/?format=csv").status_code == 403
