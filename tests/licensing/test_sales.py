"""What the marketplace may sell: the rights core's say before money is taken."""
from datetime import date, timedelta

import pytest

from accounts.errors import DomainError
from accounts.models import Membership, Organisation
from licensing import services as licensing
from licensing.consent_text import CONSENT_TEXT
from marketplace import services as market
from tests.factories import UserFactory, licence_on, listed_likeness

pytestmark = pytest.mark.django_db


def test_a_new_consent_version_stops_sales_until_the_talent_consents_again():
    likeness, offer = listed_likeness()
    licensing.consent_document_publish(title="v2", text=CONSENT_TEXT + "\nNew clause.")
    with pytest.raises(DomainError) as exc:
        market.order_create(buyer=UserFactory(), offer=offer)
    assert "fresh consent" in exc.value.message
    from licensing.selectors import consent_document_current

    licensing.consent_accept(user=likeness.owner, likeness=likeness, document_version=consent_document_current().version, ip_address=None, user_agent="t")
    assert market.order_create(buyer=UserFactory(), offer=offer).status in ("pending", "paid")


def test_permission_levels_and_exclusivity_apply_at_purchase():
    likeness, offer = listed_likeness()
    buyer = UserFactory()
    licensing.controls_update(holding=likeness, actor=likeness.owner, permission_level="approved")
    with pytest.raises(DomainError) as exc:
        market.order_create(buyer=buyer, offer=offer)
    assert "ask the talent first" in exc.value.message
    licensing.access_entry_set(holding=likeness, actor=likeness.owner, user=buyer, kind="allow")
    org = Organisation.objects.create(name="Pop", kind="brand", category="soft drinks")
    Membership.objects.create(user=buyer, organisation=org)
    licence_on(likeness, licensee=UserFactory(), exclusivity_category="Soft drinks")
    with pytest.raises(DomainError) as exc:
        market.order_create(buyer=buyer, offer=offer)
    assert "exclusively" in exc.value.message


def test_a_date_of_birth_cannot_be_rewritten_after_a_moderator_checked_it():
    likeness, _ = listed_likeness()
    with pytest.raises(DomainError, match="moderator"):
        licensing.likeness_details_update(likeness=likeness, actor=likeness.owner, date_of_birth=date.today() - timedelta(days=365 * 12))


def test_a_moderator_publishes_a_new_version_in_the_browser_with_a_grace_period(client, django_capture_on_commit_callbacks):
    from django.core import mail

    from accounts.models import User
    from licensing.selectors import consent_current_for
    from tests.factories import moderator

    likeness, offer = listed_likeness()
    client.force_login(likeness.owner)
    assert client.get("/moderation/consent-document/").status_code == 403
    client.force_login(moderator())
    r = client.post("/moderation/consent-document/", {"title": "v2", "text": "", "grace_days": "14"})
    assert r.status_code == 400 and b"v2" in r.content  # the input is kept, the error shown
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/moderation/consent-document/", {"title": "Consent v2", "text": CONSENT_TEXT + "\nA new clause.", "grace_days": "14"}, follow=True)
    assert r.status_code == 200 and b"every talent has been told" in r.content
    assert likeness.owner.email in [m.to[0] for m in mail.outbox] and "consent" in mail.outbox[-1].subject
    # In the grace period the earlier consent still counts, and the talent sees until when.
    assert consent_current_for(likeness)
    assert market.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)
    client.force_login(likeness.owner)
    assert b"consent-grace" in client.get(f"/talent/likenesses/{likeness.pk}/").content
    # After it, sales wait for fresh consent.
    from unittest import mock

    from licensing.selectors import consent_document_current

    doc = consent_document_current()

    with mock.patch("django.utils.timezone.now", return_value=doc.grace_until + timedelta(seconds=1)):
        assert not consent_current_for(likeness)
