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
