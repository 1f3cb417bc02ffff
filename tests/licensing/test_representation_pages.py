"""Agencies, estates and a minor's named people in the browser's terms (Django's test client):
the talent grants and takes back an agency's management, an agency member manages offers, rules
and approvals for the talent (and the audit says for whom), an estate sends its proof and a
moderator decides it, a guardian names and removes people. Played by the overreaching agent, the
careless guardian and the brand that wants a child's face."""
from datetime import date

import pytest
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from licensing import services as licensing
from licensing.models import AccessEntry, AuditEvent, EstateAuthority, Licence, ManagementGrant
from marketplace.models import Offer
from tests.factories import UserFactory, moderator, published_likeness, upload, verified_likeness

pytestmark = pytest.mark.django_db


def org_member(kind: str, name: str, user_kind=User.Kind.TALENT) -> tuple[Organisation, User]:
    org = Organisation.objects.create(name=name, kind=kind)
    user = UserFactory(kind=user_kind)
    Membership.objects.create(user=user, organisation=org)
    return org, user


def text(r) -> str:
    return r.content.decode()


def test_the_talent_grants_and_takes_back_an_agency_in_the_browser(client):
    likeness = published_likeness()
    agency, agent = org_member("agency", "Stars Agency")
    brand_org, _ = org_member("brand", "Fizz")
    base = f"/talent/likenesses/{likeness.pk}/representation/"
    client.force_login(likeness.owner)
    page = text(client.get(base))
    assert "Stars Agency" in page and "Fizz" not in page  # only agencies are offered
    # Nothing chosen, or a brand's id typed in: the error sits beside the field, nothing granted.
    r = client.post(base, {"action": "grant", "grant-agency": ""})
    assert r.status_code == 400 and "Choose the agency" in text(r)
    r = client.post(base, {"action": "grant", "grant-agency": str(brand_org.pk)})
    assert r.status_code == 400 and "Choose an agency from the list" in text(r)
    assert not ManagementGrant.objects.exists()
    r = client.post(base, {"action": "grant", "grant-agency": str(agency.pk)}, follow=True)
    assert "Stars Agency now manages" in text(r) and "Manages it" in text(r)
    grant = ManagementGrant.objects.get(likeness=likeness, revoked_at__isnull=True)
    # Twice: a clear conflict beside the field, still one grant.
    r = client.post(base, {"action": "grant", "grant-agency": str(agency.pk)})
    assert r.status_code == 409 and "already manages" in text(r)
    # The agent cannot open the talent's own page (not found), nor grant for them.
    client.force_login(agent)
    assert client.get(base).status_code == 404
    # The talent takes it back at any time; the agent is out at once.
    client.force_login(likeness.owner)
    r = client.post(base, {"action": "revoke", "revoke-grant": str(grant.pk)}, follow=True)
    assert "no longer manages" in text(r) and "Ended" in text(r)
    r = client.post(base, {"action": "revoke", "revoke-grant": str(grant.pk)})
    assert r.status_code == 409 and "no longer manages this likeness" in text(r)
    client.force_login(agent)
    assert client.get(f"/talent/likenesses/{likeness.pk}/rules/").status_code == 404


def test_an_agent_manages_offers_rules_and_approvals_in_the_browser_and_never_relaxes(client, settings, django_capture_on_commit_callbacks):
    from generation import services as gen
    from licensing.models import Approval
    from tests.factories import granted_licence

    settings.CONTENT_SCREENING_SEMANTIC = False
    licence = granted_licence()
    likeness = licence.likeness
    talent = likeness.owner
    agency, agent = org_member("agency", "Stars Agency")
    stranger_agency, stranger = org_member("agency", "Other Agency")
    licensing.management_grant(likeness=likeness, talent=talent, agency=agency)
    client.force_login(agent)
    managed = text(client.get("/talent/managed/"))
    assert likeness.name in managed and "as their agency" in managed
    base = f"/talent/likenesses/{likeness.pk}"
    # Content rules: saved, recorded as done for the talent.
    r = client.post(f"{base}/rules/", {"blocked_words": "cigarette", "content_rules": "no alcohol", "approval_window_hours": "24",
                                       "notice_period_days": "14", "require_brief_approval": "on", "allowed_categories": ["violence"]})
    assert r.status_code == 302, text(r)
    likeness.refresh_from_db()
    assert likeness.blocked_words == ["cigarette"] and likeness.require_brief_approval
    assert likeness.allowed_categories == []  # the category box is not the agent's to tick: ignored
    row = AuditEvent.objects.filter(action="controls.updated", actor=agent).get()
    assert row.data["acting_as"] == "agent" and row.data["on_behalf_of"] == talent.pk
    page = text(client.get(f"{base}/rules/"))
    assert "You are acting for" in page and "Only the talent can relax" in page and "Consent" not in page.split("acting-for")[0].split("subnav")[1]
    # Offers: made in the browser, on the talent's behalf.
    r = client.post(f"{base}/offers/", {"title": "Agency social pack", "price": "120.00", "currency": "gbp", "duration_days": "30",
                                        "generation_quota": "10", "derivatives": "none", "commercial_use": "on"})
    assert r.status_code == 302, text(r)
    assert Offer.objects.filter(likeness=likeness, title="Agency social pack").exists()
    assert AuditEvent.objects.filter(action="offer.created", actor=agent).get().data["acting_as"] == "agent"
    # Approvals: the agent sees the talent's queue and decides it.
    brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a portrait in a park", seed=1)
    assert brief.status == brief.Status.AWAITING_APPROVAL
    assert "a portrait in a park" in text(client.get("/talent/approvals/"))
    approval = Approval.objects.get(likeness=likeness)
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post("/talent/approvals/", {"approval": str(approval.pk), "action": "approve", "reason": ""})
    assert r.status_code == 302
    on_behalf = AuditEvent.objects.get(action="approval.decided_on_behalf", actor=agent)
    assert on_behalf.data["on_behalf_of"] == talent.pk
    # The talent's own pages stay the talent's: overview (revoke), consent.
    for page_ in ("", "/consent/", "/verification/"):
        assert client.get(f"{base}{page_}/".replace("//", "/")).status_code == 404
    # Another agency's member: nothing.
    client.force_login(stranger)
    assert client.get(f"{base}/rules/").status_code == 404 and likeness.name not in text(client.get("/talent/managed/"))


def test_an_estate_sends_its_proof_and_a_moderator_decides_it_in_the_browser(client):
    estate, executor = org_member("estate", "Estate of E. Collins")
    likeness = verified_likeness(owner=executor, name="E. Collins")
    base = f"/talent/likenesses/{likeness.pk}/representation/"
    client.force_login(executor)
    assert "Estate of E. Collins" in text(client.get(base))
    # No file; a file that is not a document: errors beside the field, nothing written.
    r = client.post(base, {"action": "proof", "proof-estate": str(estate.pk)})
    assert r.status_code == 400 and "Choose the document" in text(r)
    r = client.post(base, {"action": "proof", "proof-estate": str(estate.pk), "proof-document": upload("p.pdf", b"MZ not a pdf", "application/pdf")})
    assert r.status_code == 400 and "PDF, PNG or JPEG" in text(r)
    # Too large: refused while it streams, as every upload is (a 4xx, never a 500).
    big = upload("p.pdf", b"%PDF-1.4" + b"0" * (11 * 1024 * 1024), "application/pdf")
    r = client.post(base, {"action": "proof", "proof-estate": str(estate.pk), "proof-document": big})
    assert 400 <= r.status_code < 500
    assert not EstateAuthority.objects.exists()
    r = client.post(base, {"action": "proof", "proof-estate": str(estate.pk), "proof-document": upload("p.pdf", b"%PDF-1.4 letters", "application/pdf")}, follow=True)
    assert "Proof of authority sent" in text(r) and "Waiting for a moderator" in text(r)
    authority = EstateAuthority.objects.get()
    # The document is private: the estate's own member, a stranger and the public get nothing.
    doc = f"/moderation/estates/{authority.pk}/document/"
    assert client.get(doc).status_code == 403
    client.logout()
    assert client.get(doc).status_code == 302  # to the login page
    # The moderator: rejecting needs a reason (kept beside the field); accepting works.
    mod = moderator()
    client.force_login(mod)
    queue = text(client.get("/moderation/estates/"))
    assert "Estate of E. Collins" in queue and "E. Collins" in queue
    resp = client.get(doc)
    assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"%PDF")
    prefix = f"p{authority.pk.hex[:8]}"
    r = client.post("/moderation/estates/", {"authority": str(authority.pk), f"{prefix}-decision": "reject", f"{prefix}-note": ""})
    assert r.status_code == 400 and "Say why" in text(r)
    r = client.post("/moderation/estates/", {"authority": str(authority.pk), f"{prefix}-decision": "reject", f"{prefix}-note": "The scan is unreadable"}, follow=True)
    assert "Rejected the proof" in text(r)
    authority.refresh_from_db()
    assert authority.status == "rejected" and authority.note == "The scan is unreadable"
    # A second click on a decided proof: a clear 4xx, not a 500.
    r = client.post("/moderation/estates/", {"authority": str(authority.pk), f"{prefix}-decision": "accept"})
    assert r.status_code == 400 and "already reviewed" in text(r)
    # The estate reads the answer and sends a better proof; the moderator accepts it.
    client.force_login(executor)
    assert "The scan is unreadable" in text(client.get(base))
    client.post(base, {"action": "proof", "proof-estate": str(estate.pk), "proof-document": upload("p.png", b"\x89PNG\r\n\x1a\nletters", "image/png")})
    second = EstateAuthority.objects.get(status="pending")
    client.force_login(mod)
    p2 = f"p{second.pk.hex[:8]}"
    r = client.post("/moderation/estates/", {"authority": str(second.pk), f"{p2}-decision": "accept", f"{p2}-note": "letters checked"}, follow=True)
    assert "Accepted the proof" in text(r)
    likeness.refresh_from_db()
    assert likeness.managed_by == "estate" and licensing.acting_as(likeness, executor) == "estate"
    # Only moderators see the queue.
    client.force_login(executor)
    assert client.get("/moderation/estates/").status_code == 403


@pytest.fixture
def ward():
    guardian = UserFactory(kind=User.Kind.TALENT)
    today = timezone.now().date()
    return verified_likeness(owner=guardian, name="Kid Star", date_of_birth=date(today.year - 12, 1, 15), as_guardian=True, ward_email="kid@example.test")


def test_a_guardian_names_and_removes_people_in_the_browser_and_the_policy_holds(client, settings, ward):
    settings.CONTENT_SCREENING_SEMANTIC = False
    guardian = ward.owner
    grandma = UserFactory(kind=User.Kind.CREATOR)
    stranger = UserFactory(kind=User.Kind.CREATOR)
    brand_org, brand_member = org_member("brand", "Fizz", user_kind=User.Kind.CREATOR)
    base = f"/talent/likenesses/{ward.pk}/named/"
    client.force_login(guardian)
    assert client.get(f"/talent/likenesses/{ward.pk}/access/").status_code == 302  # a minor's: the named page instead
    assert "nobody may use this likeness" in text(client.get(base))
    # Mistakes: an unknown address, a bad quota, a brand's member, the guardian themselves.
    r = client.post(base, {"action": "name", "named-email": "nobody@example.test", "named-generation_quota": "5"})
    assert r.status_code == 400 and "No Rightscast account" in text(r) and 'value="nobody@example.test"' in text(r)
    r = client.post(base, {"action": "name", "named-email": grandma.email, "named-generation_quota": "0"})
    assert r.status_code == 400 and "at least 1" in text(r)
    r = client.post(base, {"action": "name", "named-email": brand_member.email, "named-generation_quota": "5"})
    assert r.status_code == 403 and "brand or studio" in text(r)
    r = client.post(base, {"action": "name", "named-email": guardian.email, "named-generation_quota": "5"})
    assert r.status_code == 400 and "name someone else" in text(r)
    assert not AccessEntry.objects.filter(likeness=ward).exists() and not Licence.objects.filter(likeness=ward).exists()
    # Grandma is named: a personal, non-commercial licence, and her briefs pass.
    r = client.post(base, {"action": "name", "named-email": grandma.email, "named-generation_quota": "5"}, follow=True)
    assert f"{grandma.email} may now use" in text(r) and "0 of 5 generations used" in text(r)
    lic = Licence.objects.get(likeness=ward, licensee=grandma)
    assert lic.status == "active" and not lic.terms.commercial_use
    assert licensing.policy_evaluate(licences=[lic], requester=grandma, prompt="a birthday card with a cake").allowed
    # Someone not named is refused, even holding a licence written by hand.
    from tests.factories import licence_on

    stray = licence_on(ward, licensee=stranger, commercial_use=False)
    refused = licensing.policy_evaluate(licences=[stray], requester=stranger, prompt="a birthday card")
    assert not refused.allowed
    # A named person who later joins a brand is refused, though still named.
    Membership.objects.create(user=grandma, organisation=brand_org)
    decision = licensing.policy_evaluate(licences=[lic], requester=grandma, prompt="a birthday card with a cake")
    assert not decision.allowed and any("brand" in r for r in decision.reasons), decision.reasons
    Membership.objects.filter(user=grandma).delete()
    # Removed: her licence ends and her next brief is refused.
    entry = AccessEntry.objects.get(likeness=ward, user=grandma)
    r = client.post(base, {"action": "remove", "entry": str(entry.pk)}, follow=True)
    assert "no longer named" in text(r)
    lic.refresh_from_db()
    assert lic.status == "revoked"
    assert not licensing.policy_evaluate(licences=[lic], requester=grandma, prompt="a birthday card with a cake").allowed
    assert AuditEvent.objects.filter(action="ward.person_removed", actor=guardian).exists()
    # Nobody else reaches the page; an adult's likeness has no such page.
    client.force_login(grandma)
    assert client.get(base).status_code == 404
    adult = published_likeness()
    client.force_login(adult.owner)
    assert client.get(f"/talent/likenesses/{adult.pk}/named/").status_code == 404
