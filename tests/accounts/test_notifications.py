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


def test_payout_sent_and_failed_notify_the_payee_once_with_a_link(django_capture_on_commit_callbacks):
    from marketplace import services as money
    from marketplace.models import PayoutRun
    from tests.marketplace.money import buy, ready_payee

    likeness, offer = listed_likeness(price_minor=10_000)
    talent = likeness.owner
    ready_payee(talent)
    buy(UserFactory(), offer)
    with django_capture_on_commit_callbacks(execute=True):
        assert money.payout_run().paid == 1
    sent = Notification.objects.get(user=talent, kind="payout")
    assert sent.title == "Payout sent: £80.00" and sent.url == "/talent/earnings/#payouts" and sent.emailed
    assert any("Payout sent" in m.subject for m in mail.outbox)

    buy(UserFactory(), offer)
    run = PayoutRun.objects.create(triggered_by="test")
    payable = money.account_for(kind="payable", currency="gbp", owner=talent)
    payout = money.payout_reserve(run=run, payable_id=payable.pk, minimum=1)
    money.payout_fail(payout_id=payout.pk, reason="account closed")
    money.payout_fail(payout_id=payout.pk, reason="account closed")  # already failed: no second word
    failed = Notification.objects.filter(user=talent, kind="payout").exclude(pk=sent.pk)
    assert failed.count() == 1 and "back in your balance" in failed.get().title


def test_misuse_reports_reach_the_holder_and_the_answer_reaches_the_reporter(django_capture_on_commit_callbacks):
    from accounts.models import User
    from licensing.models import MisuseReport

    likeness, _ = listed_likeness()
    reporter = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report = lic.misuse_report_create(reporter=reporter, kind="my_likeness", description="An advert uses this face without asking.", likeness=likeness)
    note = Notification.objects.get(user=likeness.owner, kind="report")
    assert likeness.name in note.title and note.url == f"/talent/likenesses/{likeness.pk}/#misuse-reports"
    assert reporter.email not in note.body and str(reporter) not in note.body  # who reported stays private
    # the evidence check linking the same likeness again does not tell twice
    lic.misuse_report_check_record(report_id=report.pk, result={"made_here": False})
    assert Notification.objects.filter(user=likeness.owner, kind="report").count() == 1

    moderator = UserFactory(kind=User.Kind.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        lic.misuse_report_answer(report=MisuseReport.objects.get(pk=report.pk), moderator=moderator, answer="We took it down.")
    answer = Notification.objects.get(user=reporter, kind="report")
    assert "We took it down." in answer.body and answer.url == "/report/"
    assert any(reporter.email in m.to and "misuse report" in m.subject for m in mail.outbox)


def test_expiring_soon_once_then_expired_with_links(client, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from licensing.tasks import licences_expiring

    licence = granted_licence()
    licensee = licence.licensee
    client.force_login(licensee)
    client.post("/notifications/settings/", {"email_kinds": ["sale"]})  # no expiry e-mails for this person
    outbox_before = len(mail.outbox)
    assert licences_expiring() == 0  # ends in 30 days: nothing yet
    soon = timezone.now() + timedelta(days=3)
    type(licence).objects.filter(pk=licence.pk).update(ends_at=soon)
    with django_capture_on_commit_callbacks(execute=True):
        assert licences_expiring() == 1
        assert licences_expiring() == 0  # told once
    note = Notification.objects.get(user=licensee, kind="expiry")
    assert "ends in 3 days" in note.title and note.url == f"/licences/{licence.pk}/add-ons/"
    with django_capture_on_commit_callbacks(execute=True):
        assert lic.licences_expire_due(now=soon + timedelta(minutes=1)) == 1
    expired = Notification.objects.filter(user=licensee, kind="expiry").exclude(pk=note.pk).get()
    assert "has expired" in expired.title and expired.url == f"/market/{licence.likeness_id}/"
    assert len(mail.outbox) == outbox_before and not expired.emailed  # the settings said no expiry e-mails
    page = client.get("/notifications/").content.decode()
    assert "has expired" in page and f"/market/{licence.likeness_id}/" in page
