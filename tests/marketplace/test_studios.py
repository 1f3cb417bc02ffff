"""Studios sell IP and are paid: offers on IP assets sold through the same checkout as likenesses,
the studio as one payee (its holder) onboarded by an owner or admin, a brief naming a talent and a
character paying both under their own terms, revocation refunding the studio's share."""
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import Membership, User
from licensing import services as licensing
from licensing.models import Licence
from marketplace import services
from marketplace.models import Order, Payout, UsageCharge
from marketplace.services.studios import organisation_holder, studio_offline_onboarding_complete, studio_payee_onboarding_start
from marketplace.tasks import refunds_pending
from tests.factories import UserFactory, listed_likeness, studio_with_asset
from tests.marketplace.money import assert_ledger_balanced, buy, owed, top_up, use

pytestmark = pytest.mark.django_db


def character_offer(price=20_000, fee=0, **terms):
    asset, member = studio_with_asset()
    offer = services.offer_create(
        ip_asset=asset, actor=member, title="Campaign use", price_minor=price, currency="gbp", per_generation_fee_minor=fee, **terms
    )
    return asset, member, offer


def test_a_brand_buys_a_character_and_the_studio_is_owed_and_paid(settings):
    asset, member, offer = character_offer(price=20_000)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    licence = Licence.objects.get(pk=order.licence_id)
    assert licence.ip_asset_id == asset.pk and licence.status == "active" and licence.likeness_id is None
    holder = organisation_holder(organisation=asset.studio)
    fee = 20_000 * settings.PLATFORM_FEE_BPS // 10_000
    assert owed(holder) == 20_000 - fee
    assert owed(member) == 0  # the studio is paid, not the member who listed it
    assert not holder.is_active and not holder.has_usable_password()

    studio_payee_onboarding_start(actor=member, organisation=asset.studio, country="US")
    payee = studio_offline_onboarding_complete(actor=member, organisation=asset.studio)
    assert payee.is_ready and payee.country == "US" and payee.user_id == holder.pk
    run = services.payout_run(minimum=1)
    assert run.paid == 1
    payout = Payout.objects.get()
    assert payout.payee_id == holder.pk and payout.amount_minor == 20_000 - fee and payout.destination == payee.account_id
    assert owed(holder) == 0
    assert services.payout_run(minimum=1).paid == 0  # paid once
    assert_ledger_balanced()


def test_only_members_offer_ip_and_only_owners_or_admins_set_up_payouts():
    asset, member, offer = character_offer()
    outsider = UserFactory(kind=User.Kind.STUDIO)
    with pytest.raises(Forbidden):
        services.offer_create(ip_asset=asset, actor=outsider, title="x", price_minor=100, currency="gbp")
    plain = UserFactory(kind=User.Kind.BRAND)  # a member who also buys for a brand
    Membership.objects.create(user=plain, organisation=asset.studio, role=Membership.Role.MEMBER)
    with pytest.raises(Forbidden):
        studio_payee_onboarding_start(actor=plain, organisation=asset.studio, country="GB")
    with pytest.raises(Forbidden):
        studio_payee_onboarding_start(actor=outsider, organisation=asset.studio, country="GB")
    with pytest.raises(InvalidInput):
        studio_payee_onboarding_start(actor=member, organisation=asset.studio, country="XX")
    # A member cannot buy their own studio's character.
    with pytest.raises(Conflict):
        services.order_create(buyer=plain, offer=offer)
    with pytest.raises(InvalidInput):
        services.offer_create(actor=member, title="x", price_minor=1, currency="gbp")


def test_the_country_cannot_change_once_the_account_exists():
    asset, member, _ = character_offer()
    studio_payee_onboarding_start(actor=member, organisation=asset.studio, country="FR")
    with pytest.raises(Conflict):
        studio_payee_onboarding_start(actor=member, organisation=asset.studio, country="DE")
    assert services.payee_refresh(user=organisation_holder(organisation=asset.studio)).country == "FR"


def test_a_character_not_opted_in_or_revoked_cannot_be_bought():
    asset, member = studio_with_asset(opted_in=False)
    offer = services.offer_create(ip_asset=asset, actor=member, title="Early", price_minor=500, currency="gbp")
    brand = UserFactory(kind=User.Kind.BRAND)
    with pytest.raises(Conflict):
        services.order_create(buyer=brand, offer=offer)
    asset = licensing.ip_asset_opt_in(asset=asset, actor=member)
    assert buy(brand, offer).status == "paid"
    licensing.ip_asset_revoke(asset=asset, actor=member, reason="retired")
    with pytest.raises(Conflict):
        services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)


def test_revoking_a_character_refunds_the_unused_term_from_the_studio():
    asset, member, offer = character_offer(price=30_000)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    holder = organisation_holder(organisation=asset.studio)
    before = owed(holder)
    now = timezone.now()
    Licence.objects.filter(pk=order.licence_id).update(starts_at=now - timedelta(days=15), ends_at=now + timedelta(days=15))
    licensing.ip_asset_revoke(asset=asset, actor=member, reason="retired")
    assert refunds_pending() >= 1
    taken = before - owed(holder)
    assert abs(taken - before / 2) <= 1  # half the term unused: half the studio's share back
    assert Licence.objects.get(pk=order.licence_id).status == "revoked"
    assert_ledger_balanced()


def test_a_brief_naming_a_talent_and_a_character_pays_both_under_their_own_terms(settings):
    likeness, _ = listed_likeness()
    talent_offer = services.offer_create(
        likeness=likeness, actor=likeness.owner, title="Face", price_minor=10_000, currency="gbp", per_generation_fee_minor=300,
    )
    asset, member, char_offer = character_offer(price=5_000, fee=700)
    brand = UserFactory(kind=User.Kind.BRAND)
    talent_order, char_order = buy(brand, talent_offer), buy(brand, char_offer)
    top_up(brand, 10_000)
    holder = organisation_holder(organisation=asset.studio)
    talent_before, studio_before = owed(likeness.owner), owed(holder)
    use(talent_order.licence, "brief-1")
    use(char_order.licence, "brief-1")
    assert {c.amount_minor for c in UsageCharge.objects.all()} == {300, 700}
    bps = settings.PLATFORM_FEE_BPS
    assert owed(likeness.owner) - talent_before == 300 - 300 * bps // 10_000
    assert owed(holder) - studio_before == 700 - 700 * bps // 10_000
    assert_ledger_balanced()


# --- the browser ---------------------------------------------------------------------------------

def test_a_brand_licenses_a_character_in_the_browser_and_the_studio_sees_it(client):
    asset, member, offer = character_offer(price=12_345)
    brand = UserFactory(kind=User.Kind.BRAND)
    client.force_login(brand)
    page = client.get("/market/ip/")
    assert asset.name in page.content.decode()
    page = client.get(f"/market/ip/{asset.pk}/")
    assert page.status_code == 200 and "Campaign use" in page.content.decode() and "Comet Studios" in page.content.decode()
    r = client.post(f"/offers/{offer.pk}/buy/")
    assert r.status_code == 302
    order = Order.objects.get(buyer=brand)
    assert r["Location"] == f"/pay/offline/{order.pk}/"
    assert asset.name in client.get(r["Location"]).content.decode()
    r = client.post(r["Location"], {"action": "pay"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "paid"
    assert asset.name in client.get(f"/orders/{order.pk}/").content.decode()

    client.force_login(member)
    page = client.get(f"/studios/{asset.studio_id}/payouts/").content.decode()
    holder = organisation_holder(organisation=asset.studio)
    from accounts.display import money

    assert f'id="balance-gbp">{money(owed(holder), "gbp")}<' in page and "Set up payouts" in page
    r = client.post(f"/studios/{asset.studio_id}/payouts/", {"country": "IE"})
    assert r.status_code == 302 and "/payouts/offline-onboarding/?account=" in r["Location"]
    r = client.post(r["Location"])
    assert r.status_code == 302 and r["Location"] == f"/studios/{asset.studio_id}/payouts/"
    page = client.get(r["Location"]).content.decode()
    assert "payout account is ready" in page and "IE" in page


def test_the_ip_offer_form_keeps_input_and_shows_errors_beside_fields(client):
    asset, member = studio_with_asset()
    client.force_login(member)
    r = client.post(f"/studio/assets/{asset.pk}/offers/", {"title": "Kept title", "price": "12.345", "currency": "gbp",
                                                           "duration_days": "30", "generation_quota": "10", "derivatives": "none"})
    assert r.status_code == 400
    body = r.content.decode()
    assert 'value="Kept title"' in body and "At most two decimals (pence, cents)." in body  # the shared field's message
    r = client.post(f"/studio/assets/{asset.pk}/offers/", {"title": "Hero", "price": "250.00", "currency": "gbp", "duration_days": "30",
                                                           "generation_quota": "10", "derivatives": "allowed", "revenue_share_percent": "12.5",
                                                           "commercial_use": "on", "channels": ["web"], "revenue_policy": "absolute",
                                                           "revenue_ceiling_percent": "30"}, follow=True)
    assert r.status_code == 200 and "Offer “Hero” added" in r.content.decode()
    offer = asset.offers.get()
    assert offer.price_minor == 25_000 and offer.terms.revenue_share_bps == 1_250 and offer.terms.channels == ["web"]
    assert offer.revenue_policy == "absolute" and offer.revenue_ceiling_bps == 3_000
    outsider = UserFactory(kind=User.Kind.STUDIO)
    client.force_login(outsider)
    assert client.get(f"/studio/assets/{asset.pk}/offers/").status_code == 404
    assert client.get(f"/studios/{asset.studio_id}/payouts/").status_code == 404


def test_ip_offers_through_the_api():
    from rest_framework.test import APIClient

    def api_client_for(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    asset, member = studio_with_asset()
    r = api_client_for(member).post(f"/api/ip-assets/{asset.pk}/offers/", {"title": "API offer", "price_minor": 900, "currency": "eur"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["ip_asset_id"] == str(asset.pk) and r.json()["likeness_id"] is None
    brand = UserFactory(kind=User.Kind.BRAND)
    r = api_client_for(brand).post(f"/api/offers/{r.json()['id']}/purchase/")
    assert r.status_code == 201 and r.json()["status"] == "pending"
    outsider = UserFactory(kind=User.Kind.STUDIO)
    assert api_client_for(outsider).post(f"/api/ip-assets/{asset.pk}/offers/", {"title": "x", "price_minor": 1, "currency": "gbp"},
                                         format="json").status_code == 404


def test_a_members_home_shows_what_the_studio_is_owed_and_links_to_its_payouts(client):
    asset, member = studio_with_asset()
    offer = services.offer_create(ip_asset=asset, actor=member, title="Hero", price_minor=40_000, currency="gbp")
    client.force_login(member)
    assert "Nothing owed to the studio yet." in client.get("/").content.decode()
    buy(UserFactory(kind=User.Kind.BRAND), offer)
    home = client.get("/").content.decode()
    assert "Owed to the studio: <strong>£320.00</strong>" in home  # £400 less the platform's 20%
    assert f'href="/studios/{asset.studio_id}/payouts/"' in home
