"""The generation pages in a person's terms: the approvals queue with something waiting (it used to
answer 500), the brief form keeping its input when refused, and the job page's controls."""
import pytest

from generation import services as gen
from licensing import services as lic
from licensing.models import Approval
from tests.factories import granted_licence, studio_with_asset

pytestmark = pytest.mark.django_db


def test_approvals_page_with_both_kinds_waiting_and_a_decision(client, django_capture_on_commit_callbacks):
    licence = granted_licence()
    likeness = licence.likeness
    lic.controls_update(holding=likeness, actor=likeness.owner, require_brief_approval=True)
    brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a portrait in a park", seed=1)
    assert brief.status == brief.Status.AWAITING_APPROVAL
    asset, member = studio_with_asset(require_brief_approval=True)
    char = lic.licence_grant(holding=asset, actor=member, licensee=licence.licensee)
    gen.brief_submit(requester=licence.licensee, licence_id=char.pk, prompt="the captain waves", seed=2)
    client.force_login(likeness.owner)
    r = client.get("/talent/approvals/")
    assert r.status_code == 200 and "a portrait in a park" in r.content.decode()
    client.force_login(member)
    r = client.get("/talent/approvals/")
    assert r.status_code == 200 and asset.name in r.content.decode()
    client.force_login(likeness.owner)
    approval = Approval.objects.get(likeness=likeness)
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post("/talent/approvals/", {"approval": approval.pk, "action": "approve", "reason": "x" * 600})
    assert r.status_code == 400 and "at most 500" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post("/talent/approvals/", {"approval": approval.pk, "action": "approve"})
    assert r.status_code == 302
    assert "Approved" in client.get("/talent/approvals/").content.decode()


def test_brief_form_keeps_input_and_shows_refusals_once(client):
    licence = granted_licence()
    lic.controls_update(holding=licence.likeness, actor=licence.likeness.owner, blocked_words=["motorbike"])
    client.force_login(licence.licensee)
    url = f"/licences/{licence.pk}/brief/"
    page = client.get(url).content.decode()
    assert "Organic social media" in page and "organic_social</option>" not in page
    r = client.post(url, {"prompt": "", "media": "image"})
    assert r.status_code == 400 and "Write a prompt for the brief." in r.content.decode()
    r = client.post(url, {"prompt": "riding a motorbike at dawn", "media": "image", "seed": "7"})
    body = r.content.decode()
    assert r.status_code == 403 and "riding a motorbike at dawn</textarea>" in body
    assert body.count("motorbike”") <= 2 and "The brief was refused." in body


def test_job_page_offers_cancel_only_while_it_can_be_cancelled(client, django_capture_on_commit_callbacks):
    licence = granted_licence()
    with django_capture_on_commit_callbacks(execute=False):
        brief = gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a quiet lake", seed=3)
    client.force_login(licence.licensee)
    url = f"/jobs/{brief.job.pk}/"
    assert 'id="job-cancel"' in client.get(url).content.decode()
    r = client.post(url, {"action": "cancel"})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="job-cancel"' not in page and "Cancelled: nothing more will be generated" in page
    assert client.post(url, {"action": "cancel"}).status_code == 409


def test_gallery_filters_a_licensees_outputs(client, django_capture_on_commit_callbacks):
    licence = granted_licence()
    with django_capture_on_commit_callbacks(execute=False):
        gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a walk by the sea", seed=4)
    client.force_login(licence.licensee)
    body = client.get("/gallery/").content.decode()
    assert "a walk by the sea" in body and licence.likeness.name in body
    assert "a walk by the sea" not in client.get("/gallery/?status=released").content.decode()
    assert "a walk by the sea" in client.get(f"/gallery/?holding=l:{licence.likeness.pk}&sort=old").content.decode()
    assert client.get("/gallery/?status=nonsense").status_code == 400
    client.force_login(licence.likeness.owner)
    assert "a walk by the sea" not in client.get("/gallery/").content.decode()  # only one's own outputs
