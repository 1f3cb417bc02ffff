"""Notifications reach the person in the app and by e-mail (as their settings say) for approval
requests and outcomes, sales, refusals and revocations, each with a link to act."""
import pytest
from django.core import mail

from accounts.models import Notification
from generation import services as gen
from licensing import services as lic
from tests.factories import UserFactory, granted_licence, listed_likeness

pytestmark = pytest.mark.django_db


def test_sale_approval_refusal_and_revocation_notify_with_links(client, django_capture_on_commit_callbacks):
    from marketplace import services as money

    likeness, offer = listed_likeness(price_minor=25_000)
    talent = likeness.owner
    brand = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = money.order_create(buyer=brand, offer=offer)
        money.offline_checkout_complete(order=order, buyer=brand, pay=True)
    sale = Notification.objects.get(user=talent, kind="sale")
    assert "£250.00" in sale.body and sale.url == "/talent/earnings/" and sale.emailed
    assert any("Sold" in m.subject for m in mail.outbox)

    licence = granted_licence()
    holder = licence.likeness.owner
    lic.controls_update(holding=licence.likeness, actor=holder, require_brief_approval=True, blocked_words=["motorbike"])
    with django_capture_on_commit_callbacks(execute=True):
        gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="a picnic", seed=1)
    assert Notification.objects.get(user=holder, kind="approval_request").url == "/talent/approvals/"
    with pytest.raises(gen.PolicyRefused):
        gen.brief_submit(requester=licence.licensee, licence_id=licence.pk, prompt="on a motorbike", seed=2)
    assert Notification.objects.filter(user=holder, kind="refusal").exists()

    client.force_login(holder)
    r = client.post("/notifications/settings/", {"email_kinds": ["sale"]})
    assert r.status_code == 302
    outbox_before = len(mail.outbox)
    from licensing.models import Approval

    with django_capture_on_commit_callbacks(execute=True):
        lic.approval_decide(approval=Approval.objects.get(likeness=licence.likeness), actor=holder, approve=False, reason="Not this one")
    note = Notification.objects.get(user=licence.licensee, kind="approval_outcome")
    assert "rejected" in note.title
    with django_capture_on_commit_callbacks(execute=True):
        lic.licence_revoke(licence=licence, actor=holder, reason="Campaign over")
    assert Notification.objects.get(user=licence.licensee, kind="revocation").url == "/licences/"
    assert len(mail.outbox) == outbox_before + 2  # the licensee's settings: every kind by default

    body = client.get("/notifications/").content.decode()
    assert "was refused" in body and "New" in body and "Notifications <span class=\"count\">" in body
    client.post("/notifications/")
    assert not Notification.objects.filter(user=holder, read_at__isnull=True).exists()
