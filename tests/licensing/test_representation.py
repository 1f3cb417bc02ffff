"""Agencies and estates: who may act for a likeness, played by an agent overreaching, a talent
taking management back, and an estate before and after a moderator accepts its authority."""
import pytest

from accounts.errors import DomainError, Forbidden
from accounts.models import Membership, Organisation, User
from licensing import services as licensing
from licensing.models import AuditEvent, EstateAuthority
from marketplace import services as market
from tests.factories import UserFactory, consent_document, moderator, published_likeness, upload, verified_likeness

pytestmark = pytest.mark.django_db


def org_member(kind: str, name: str) -> tuple[Organisation, User]:
    org = Organisation.objects.create(name=name, kind=kind)
    user = UserFactory(kind=User.Kind.TALENT)
    Membership.objects.create(user=user, organisation=org)
    return org, user


def test_an_agency_manages_once_granted_and_never_consents_relaxes_or_revokes(api):
    likeness = published_likeness()
    talent = likeness.owner
    agency, agent = org_member("agency", "Stars Agency")
    # Before the grant: nothing, and the likeness reads as not found through the API.
    with pytest.raises(Forbidden):
        licensing.controls_update(holding=likeness, actor=agent, require_brief_approval=True)
    api.force_authenticate(agent)
    assert api.post(f"/api/likenesses/{likeness.pk}/offers/", {"title": "x", "price_minor": 100, "currency": "gbp"}, format="json").status_code == 404
    # Only an agency may be granted; only the talent grants.
    brand_org, _ = org_member("brand", "Fizz")
    with pytest.raises(DomainError):
        licensing.management_grant(likeness=likeness, talent=talent, agency=brand_org)
    with pytest.raises(Forbidden):
        licensing.management_grant(likeness=likeness, talent=agent, agency=agency)
    grant = licensing.management_grant(likeness=likeness, talent=talent, agency=agency)
    # Offers, rules and approvals: yes, and the audit says on whose behalf.
    r = api.post(f"/api/likenesses/{likeness.pk}/offers/", {"title": "Agency offer", "price_minor": 5000, "currency": "gbp"}, format="json")
    assert r.status_code == 201, r.content
    licensing.controls_update(holding=likeness, actor=agent, require_brief_approval=True, blocked_words=["cigarette"])
    row = AuditEvent.objects.filter(action="controls.updated", actor=agent).get()
    assert row.data["acting_as"] == "agent" and row.data["on_behalf_of"] == talent.pk
    offer_row = AuditEvent.objects.filter(action="offer.created", actor=agent).get()
    assert offer_row.data["acting_as"] == "agent"
    # Consent, relaxing a category, revoking: never.
    assert "relax" in str(pytest.raises(Forbidden, licensing.controls_update, holding=likeness, actor=agent, allowed_categories=["violence"]).value.message)
    with pytest.raises(Forbidden):
        licensing.consent_accept(user=agent, likeness=likeness, document_version=consent_document().version, ip_address=None, user_agent="t")
    with pytest.raises(Forbidden):
        licensing.likeness_revoke(likeness=likeness, actor=agent, reason="agent wants out")
    likeness.refresh_from_db()
    assert likeness.status == "listed" and likeness.allowed_categories == []
    # The talent takes it back: the agent is out at once.
    licensing.management_revoke(grant=grant, talent=talent)
    with pytest.raises(Forbidden):
        licensing.controls_update(holding=likeness, actor=agent, require_brief_approval=False)
    with pytest.raises(DomainError):
        market.offer_create(likeness=likeness, actor=agent, title="late", price_minor=1, currency="gbp")


def test_an_estate_acts_only_after_a_moderator_accepts_its_proof():
    estate, executor = org_member("estate", "Estate of E. Collins")
    likeness = verified_likeness(owner=executor, name="E. Collins (deceased)")
    outsider_estate, outsider = org_member("estate", "Other estate")
    with pytest.raises(Forbidden):
        licensing.estate_authority_submit(likeness=likeness, estate=outsider_estate, actor=outsider, document=upload("p.pdf", b"%PDF-1.4 proof"))
    with pytest.raises(DomainError, match="PDF"):
        licensing.estate_authority_submit(likeness=likeness, estate=estate, actor=executor, document=upload("p.pdf", b"not a document"))
    authority = licensing.estate_authority_submit(likeness=likeness, estate=estate, actor=executor, document=upload("p.pdf", b"%PDF-1.4 letters of administration"))
    likeness.refresh_from_db()
    assert likeness.managed_by == "estate" and authority.status == "pending"
    assert "estate-proofs/" in authority.document.name  # private storage: not under a public URL; moderators only
    # Until a moderator accepts the proof, nobody can consent for the deceased, nor list.
    doc = consent_document()
    with pytest.raises(Forbidden):
        licensing.consent_accept(user=executor, likeness=likeness, document_version=doc.version, ip_address=None, user_agent="t")
    with pytest.raises(DomainError):
        licensing.likeness_publish(likeness=likeness, actor=executor)
    with pytest.raises(Forbidden):
        licensing.estate_authority_review(authority=authority, moderator=executor, accept=True)
    licensing.estate_authority_review(authority=authority, moderator=moderator(), accept=True, note="letters of administration checked")
    # Another member of the estate now consents, as the estate.
    colleague = UserFactory(kind=User.Kind.TALENT)
    Membership.objects.create(user=colleague, organisation=estate)
    record = licensing.consent_accept(user=colleague, likeness=likeness, document_version=doc.version, ip_address=None, user_agent="t")
    assert record.role == "estate"
    assert licensing.likeness_publish(likeness=likeness, actor=executor).status == "listed"
    assert EstateAuthority.objects.get(pk=authority.pk).reviewed_by_id


def test_the_api_for_grants_and_estate_proofs(api):
    likeness = published_likeness()
    agency, agent = org_member("agency", "API Agency")
    api.force_authenticate(agent)
    assert api.post(f"/api/likenesses/{likeness.pk}/management/", {"agency_id": agency.pk}, format="json").status_code == 404
    api.force_authenticate(likeness.owner)
    assert api.post(f"/api/likenesses/{likeness.pk}/management/", {"agency_id": agency.pk}, format="json").status_code == 201
    assert api.post(f"/api/likenesses/{likeness.pk}/management/", {"agency_id": agency.pk}, format="json").status_code == 409
    assert api.delete(f"/api/likenesses/{likeness.pk}/management/", {"agency_id": agency.pk}, format="json").status_code == 200
    estate, executor = org_member("estate", "API Estate")
    mine = verified_likeness(owner=executor, name="Late Star")
    api.force_authenticate(executor)
    r = api.post(f"/api/likenesses/{mine.pk}/estate-authority/", {"estate_id": estate.pk, "document": upload("p.pdf", b"%PDF-1.4 x")}, format="multipart")
    assert r.status_code == 201
    assert api.post(f"/api/moderation/estate-authorities/{r.json()['id']}/", {"accept": True}, format="json").status_code == 403
    api.force_authenticate(moderator())
    assert api.post(f"/api/moderation/estate-authorities/{r.json()['id']}/", {"accept": False}, format="json").status_code == 400
    assert api.post(f"/api/moderation/estate-authorities/{r.json()['id']}/", {"accept": True}, format="json").json()["status"] == "accepted"
