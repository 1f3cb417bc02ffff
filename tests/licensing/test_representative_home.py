"""The agency's and the estate's own homes: an agency member lands on the talent it manages, with
their pending approvals and offers (and may answer and make offers in the browser); an estate on
the deceased person's likeness it administers. Nobody else's likeness shows up."""
import pytest

from licensing import services as licensing
from licensing.models import Approval
from marketplace import services as market
from tests.factories import granted_licence, moderator, published_likeness, upload, verified_likeness
from tests.licensing.test_representation import org_member

pytestmark = pytest.mark.django_db


def test_an_agency_member_lands_on_the_talent_it_manages(client, django_capture_on_commit_callbacks):
    from generation import services as gen

    licence = granted_licence()
    likeness, talent = licence.likeness, licence.likeness.owner
    market.offer_create(likeness=likeness, actor=talent, title="Social, 30 days", price_minor=25_000, currency="gbp")
    other = published_likeness(name="Not Theirs")
    agency, agent = org_member("agency", "Stars Agency")
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert "Stars Agency" in page and "No talent has let your agency manage" in page and likeness.name not in page

    licensing.management_grant(likeness=likeness, talent=talent, agency=agency)
    licensing.controls_update(holding=likeness, actor=talent, require_brief_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a picnic by the lake", seed=1)
    page = client.get("/").content.decode()
    assert "Talent you manage" in page and likeness.name in page and other.name not in page
    assert "a picnic by the lake" in page and "Answer 1 request" in page
    assert "Social, 30 days" in page and "£250.00" in page and "minor units" not in page

    # The agent answers it on the approvals page, and makes an offer in the browser.
    approvals = client.get("/talent/approvals/").content.decode()
    assert "a picnic by the lake" in approvals
    approval = Approval.objects.get(likeness=likeness)
    r = client.post("/talent/approvals/", {"approval": approval.pk, "action": "approve", "reason": ""})
    assert r.status_code == 302 and Approval.objects.get(pk=approval.pk).status == "approved"
    offers = client.get(f"/talent/likenesses/{likeness.pk}/offers/")
    nav = offers.content.decode().split('class="subnav"')[1].split("</nav>")[0]
    # the talent's own pages (overview, verification, consent) are not offered; offers, rules and approvals are
    assert offers.status_code == 200 and "Consent" not in nav and "Verification" not in nav and "Content rules" in nav
    assert client.get(f"/talent/likenesses/{other.pk}/offers/").status_code == 404
    assert client.get(f"/talent/likenesses/{likeness.pk}/consent/").status_code == 404  # consent stays the talent's


def test_an_estate_lands_on_the_likeness_it_administers(client):
    estate, executor = org_member("estate", "Estate of E. Collins")
    likeness = verified_likeness(owner=executor, name="E. Collins")
    client.force_login(executor)
    authority = licensing.estate_authority_submit(likeness=likeness, estate=estate, actor=executor, document=upload("p.pdf", b"%PDF-1.4 letters"))
    page = client.get("/").content.decode()
    assert "Estate of E. Collins" in page and "a moderator reviews your proof of authority first" in page
    licensing.estate_authority_review(authority=authority, moderator=moderator(), accept=True)
    page = client.get("/").content.decode()
    assert "The likeness you administer" in page and "E. Collins" in page and "Estate: authority accepted" in page
    assert f"/talent/likenesses/{likeness.pk}/" in page  # the estate's own account opens its control room
    licensing.misuse_report_create(reporter=None, email="fan@example.com", kind="my_likeness", description="An advert uses her face.", likeness=likeness)
    assert "1 misuse report open" in client.get("/").content.decode()
