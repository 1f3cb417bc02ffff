"""Self-serve add-ons (more generations, a longer term) bought through checkout and priced by the
offer, applied once; usage against caps on the page; a job cancelled before it renders gives its
quota and its per-generation fee back."""
from datetime import timedelta

import pytest

from accounts.errors import Conflict, Forbidden, InvalidInput
from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence, UsageRecord
from marketplace import services
from marketplace.models import LedgerTransaction, LicenceAddOn
from marketplace.services.addons import addon_create, addon_mark_paid, offline_addon_complete
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, buy, owed, top_up, use

pytestmark = pytest.mark.django_db


def _offer(**kw):
    likeness, _ = listed_likeness()
    return services.offer_create(
        likeness=likeness, actor=likeness.owner, title="Extendable", price_minor=10_000, currency="gbp", generation_quota=5,
        addon_generation_price_minor=kw.pop("gen", 200), addon_day_price_minor=kw.pop("day", 50), **kw,
    )


def test_buying_more_generations_and_days_extends_the_licence_once(settings):
    offer = _offer()
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    licence = Licence.objects.get(pk=order.licence_id)
    ends = licence.ends_at
    addon = addon_create(buyer=brand, licence=licence, generations=10, days=7)
    assert addon.amount_minor == 10 * 200 + 7 * 50 and addon.checkout_url == f"/pay/offline/add-on/{addon.pk}/"
    assert addon_create(buyer=brand, licence=licence, generations=10, days=7).pk == addon.pk  # a double click resumes it
    before = owed(offer.likeness.owner)
    addon = offline_addon_complete(addon=addon, buyer=brand, pay=True)
    assert addon.status == "paid"
    licence.refresh_from_db()
    assert licence.terms.generation_quota == 15 and licence.ends_at == ends + timedelta(days=7)
    assert Licence.objects.get(pk=licence.pk).terms.duration_days == offer.terms.duration_days + 7
    fee = 2_350 * settings.PLATFORM_FEE_BPS // 10_000
    assert owed(offer.likeness.owner) - before == 2_350 - fee
    addon_mark_paid(addon_id=addon.pk)  # a second delivery
    licence.refresh_from_db()
    assert licence.terms.generation_quota == 15
    assert LedgerTransaction.objects.filter(idempotency_key=f"addon-{addon.pk}").count() == 1
    assert offer.terms.generation_quota == 5  # the offer's terms are untouched
    assert_ledger_balanced()


def test_add_ons_that_are_not_sold_or_not_allowed_are_refused():
    offer = _offer(gen=0, day=0)
    brand = UserFactory(kind=User.Kind.BRAND)
    licence = buy(brand, offer).licence
    with pytest.raises(Conflict):
        addon_create(buyer=brand, licence=licence, generations=1)
    offer2 = _offer(day=0)
    licence2 = buy(brand, offer2).licence
    with pytest.raises(Conflict):
        addon_create(buyer=brand, licence=licence2, days=3)
    with pytest.raises(Forbidden):
        addon_create(buyer=UserFactory(kind=User.Kind.BRAND), licence=licence2, generations=1)
    with pytest.raises(InvalidInput):
        addon_create(buyer=brand, licence=licence2)
    with pytest.raises(InvalidInput):
        addon_create(buyer=brand, licence=licence2, generations=-1)
    licensing.licence_transition(licence=licence2, to="revoked", actor=None, reason="test")
    with pytest.raises(Conflict):
        addon_create(buyer=brand, licence=Licence.objects.get(pk=licence2.pk), generations=1)
    assert LicenceAddOn.objects.count() == 0


def test_the_add_on_page_shows_usage_and_sells_add_ons(client):
    offer = _offer()
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    top_up(brand, 1_000)
    use(order.licence, "gen-1")
    client.force_login(brand)
    page = client.get(f"/licences/{order.licence_id}/add-ons/").content.decode()
    assert 'id="quota-used">1<' in page and 'id="quota-total">5<' in page and "Buy more" in page
    r = client.post(f"/licences/{order.licence_id}/add-ons/", {"generations": "", "days": ""})
    assert r.status_code == 400 and "Choose more generations" in r.content.decode()
    r = client.post(f"/licences/{order.licence_id}/add-ons/", {"generations": "abc", "days": "2"})
    assert r.status_code == 400 and 'value="2"' in r.content.decode()
    r = client.post(f"/licences/{order.licence_id}/add-ons/", {"generations": "3", "days": ""})
    assert r.status_code == 302
    r = client.post(r["Location"], {"pay": "1"}, follow=True)
    page = r.content.decode()
    assert "Add-on paid" in page and 'id="quota-total">8<' in page
    client.force_login(UserFactory(kind=User.Kind.BRAND))
    assert client.get(f"/licences/{order.licence_id}/add-ons/").status_code == 404


def test_a_use_given_back_before_rendering_returns_its_quota_and_fee_once():
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Fee", price_minor=1_000, currency="gbp",
                                  per_generation_fee_minor=300, generation_quota=5)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    top_up(brand, 1_000)
    talent_before = owed(likeness.owner)
    use(order.licence, "brief-x")
    assert services.credit_balance(user=brand, currency="gbp") == 700
    assert licensing.usage_release(reference="brief-x", reason="cancelled before rendering") == 1
    assert licensing.usage_release(reference="brief-x", reason="again") == 0
    assert Licence.objects.get(pk=order.licence_id).quota_used == 0
    assert services.credit_balance(user=brand, currency="gbp") == 1_000
    assert owed(likeness.owner) == talent_before
    assert UsageRecord.objects.get(reference="brief-x").released_at is not None
    assert_ledger_balanced()


def test_a_job_cancelled_while_queued_gives_back_quota_and_fee(settings):
    settings.CONTENT_SCREENING_SEMANTIC = False
    from generation import services as generation

    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Fee", price_minor=1_000, currency="gbp",
                                  per_generation_fee_minor=300, generation_quota=5, channels=["web"])
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    top_up(brand, 1_000)
    brief = generation.brief_submit(requester=brand, licence_id=order.licence_id, prompt="a portrait in a garden", channel="web")
    from generation.models import GenerationJob

    job = GenerationJob.objects.get(brief=brief)
    assert job.status == "queued" and Licence.objects.get(pk=order.licence_id).quota_used == 1
    assert services.credit_balance(user=brand, currency="gbp") == 700
    generation.job_cancel(job=job, actor=brand)
    assert Licence.objects.get(pk=order.licence_id).quota_used == 0
    assert services.credit_balance(user=brand, currency="gbp") == 1_000
    assert_ledger_balanced()


def test_indemnity_is_priced_on_the_offer_and_recorded_on_the_licence(client):
    likeness, _ = listed_likeness()
    with pytest.raises(InvalidInput):
        services.offer_create(likeness=likeness, actor=likeness.owner, title="x", price_minor=1_000, currency="gbp", indemnity="standard")
    with pytest.raises(InvalidInput):
        services.offer_create(likeness=likeness, actor=likeness.owner, title="x", price_minor=1_000, currency="gbp", indemnity_price_minor=5)
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Covered", price_minor=10_000, currency="gbp",
                                  indemnity="standard", indemnity_cap_minor=5_000_000, indemnity_price_minor=2_500)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = buy(brand, offer)
    assert order.amount_minor == 12_500
    licence = Licence.objects.get(pk=order.licence_id)
    assert (licence.indemnity, licence.indemnity_cap_minor, licence.indemnity_currency) == ("standard", 5_000_000, "gbp")
    client.force_login(brand)
    assert "Standard indemnity, capped: up to £50,000.00" in client.get("/licences/").content.decode()
    extended = services.offer_create(likeness=likeness, actor=likeness.owner, title="Full", price_minor=1_000, currency="gbp",
                                     indemnity="extended", indemnity_cap_minor=99, indemnity_price_minor=100)
    lic = Licence.objects.get(pk=buy(UserFactory(kind=User.Kind.BRAND), extended).licence_id)
    assert lic.indemnity == "extended" and lic.indemnity_cap_minor is None
    assert_ledger_balanced()
