"""One Stripe Checkout for a whole campaign, through the real SDK against the project's own
Stripe-shaped server: a line item per talent, the signed webhook granting every licence in one
transaction, a talent that can no longer be licensed refunded, duplicates and retries harmless."""
import pytest

from accounts.models import User
from campaigns.models import Campaign, CampaignTalent
from licensing import services as licensing
from licensing.models import Licence
from marketplace.models import CheckoutBundle, LedgerTransaction, Order, PaymentEvent
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced

pytestmark = pytest.mark.django_db

PRICES = [1000, 2000, 3000]


def _campaign(api, brand):
    for i, p in enumerate(PRICES):
        listed_likeness(name=f"Talent {i:02d}", price_minor=p, quota=5)
    api.force_authenticate(brand)
    r = api.post("/api/campaigns/", {"name": "Autumn", "budget_minor": 6000, "price_ceiling_minor": 5000}, format="json")
    assert r.status_code == 201, r.content
    assert not stripe_server_sessions(r)  # no per-talent checkout: the orders wait for the campaign's one
    return r.json()


def stripe_server_sessions(_):
    return CheckoutBundle.objects.exists() or Order.objects.exclude(checkout_session_id=None).exists()


def test_one_checkout_for_every_talent_and_one_webhook_grants_them_all(api, stripe_server, webhook):
    brand = UserFactory(kind=User.Kind.BRAND)
    c = _campaign(api, brand)
    r = api.post(f"/api/campaigns/{c['id']}/checkout/", HTTP_IDEMPOTENCY_KEY="pay-autumn")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["amount_minor"] == 6000 and out["licences"] == 3 and out["checkout_url"].startswith(stripe_server.url + "/c/pay/cs_test_")
    (req,) = stripe_server.posts("/v1/checkout/sessions")
    assert req["idempotency_key"] == f"checkout-bundle-{out['bundle_id']}"
    lines = req["params"]["line_items"]
    assert sorted(int(li["price_data"]["unit_amount"]) for li in lines) == PRICES
    assert {li["price_data"]["product_data"]["name"] for li in lines} == {f"Talent {i:02d}: Campaign" for i in range(3)}
    assert req["params"]["metadata"] == {"kind": "bundle", "bundle_id": out["bundle_id"]}
    # asking again (a retry, a second tab, the browser) resumes the same checkout
    assert api.post(f"/api/campaigns/{c['id']}/checkout/").json()["checkout_url"] == out["checkout_url"]
    assert len(stripe_server.sessions) == 1
    # the brief waits for payment
    assert api.post(f"/api/campaigns/{c['id']}/brief/", {"prompt_template": "{talent} smiles"}, format="json").status_code == 409

    bundle = CheckoutBundle.objects.get()
    event = stripe_server.complete_session(bundle.checkout_session_id)
    assert webhook(event)["status"] == "processed"
    assert set(Order.objects.values_list("status", flat=True)) == {"paid"}
    assert set(Licence.objects.values_list("status", flat=True)) == {"active"}
    assert LedgerTransaction.objects.filter(kind="sale").count() == 3
    bundle.refresh_from_db()
    assert bundle.status == "paid" and bundle.payment_intent_id.startswith("pi_") and bundle.charge_id.startswith("ch_") and bundle.refund_minor == 0
    progress = api.get(f"/api/campaigns/{c['id']}/").json()
    assert {t["status"] for t in progress["talents"]} == {"licensed"} and progress["spent_minor"] == 6000
    # a duplicate delivery changes nothing
    assert webhook(event)["status"] == "processed"
    assert LedgerTransaction.objects.filter(kind="sale").count() == 3 and PaymentEvent.objects.filter(event_id=event["id"]).count() == 1
    assert_ledger_balanced()
    # paid: nothing left to check out
    r = api.post(f"/api/campaigns/{c['id']}/checkout/")
    assert r.status_code == 409 and "Nothing" in r.json()["detail"]
    # a moderator refunds one talent's licence: asked against the campaign checkout's payment
    from marketplace import services as market
    from tests.factories import moderator

    one = Order.objects.get(amount_minor=2000)
    refund = market.order_refund(order=one, actor=moderator(), amount_minor=500, note="partial")
    (req,) = stripe_server.posts("/v1/refunds")
    assert req["params"]["payment_intent"] == bundle.payment_intent_id and req["params"]["amount"] == "500"
    assert refund.provider_refund_id.startswith("re_")


@pytest.mark.django_db(transaction=True)  # the refund is asked for after the grant commits
def test_a_talent_revoked_before_payment_is_refunded_and_the_others_granted(api, stripe_server, webhook):
    brand = UserFactory(kind=User.Kind.BRAND)
    c = _campaign(api, brand)
    api.post(f"/api/campaigns/{c['id']}/checkout/")
    bundle = CheckoutBundle.objects.get()
    gone = Order.objects.get(amount_minor=2000)
    licensing.likeness_revoke(likeness=gone.offer.likeness, actor=gone.offer.likeness.owner)  # between checkout and payment
    event = stripe_server.complete_session(bundle.checkout_session_id)
    assert webhook(event)["status"] == "processed"
    bundle.refresh_from_db()
    assert bundle.status == "paid" and bundle.refund_minor == 2000
    assert sorted(Order.objects.filter(status="paid").values_list("amount_minor", flat=True)) == [1000, 3000]
    assert Order.objects.get(pk=gone.pk).status == "cancelled"
    (refund,) = stripe_server.posts("/v1/refunds")
    assert refund["params"]["amount"] == "2000" and refund["params"]["payment_intent"] == bundle.payment_intent_id
    assert refund["idempotency_key"] == f"bundle-refund-{bundle.pk}" and bundle.provider_refund_id.startswith("re_")
    rows = {t["talent"]: t for t in api.get(f"/api/campaigns/{c['id']}/").json()["talents"]}
    assert rows["Talent 01"]["status"] == "not_licensed" and "refunded" in rows["Talent 01"]["reason"]
    assert rows["Talent 00"]["status"] == rows["Talent 02"]["status"] == "licensed"
    # the provider's refund events for it are ours, never waiting for an order: the refund's applied
    # to the bundle (paid out once, when it was made), the charge's ignored (nothing sold to undo)
    for e in [e for e in stripe_server.events if e["type"] in ("refund.created", "charge.refunded")] * 2:
        assert webhook(e)["status"] == ("processed" if e["type"] == "refund.created" else "ignored")
    assert LedgerTransaction.objects.filter(kind="refund_settled", external_id=bundle.provider_refund_id).count() == 1
    assert_ledger_balanced()


def test_a_payment_for_another_amount_grants_nothing(api, stripe_server, webhook):
    brand = UserFactory(kind=User.Kind.BRAND)
    c = _campaign(api, brand)
    api.post(f"/api/campaigns/{c['id']}/checkout/")
    bundle = CheckoutBundle.objects.get()
    event = stripe_server.complete_session(bundle.checkout_session_id)
    event["data"]["object"]["amount_total"] = 100
    assert webhook(event)["status"] == "failed"
    assert set(Order.objects.values_list("status", flat=True)) == {"pending"} and not LedgerTransaction.objects.exists()
    assert CheckoutBundle.objects.get().status == "pending"


def test_an_expired_checkout_frees_the_orders_for_a_new_one(api, stripe_server, webhook):
    brand = UserFactory(kind=User.Kind.BRAND)
    c = _campaign(api, brand)
    first = api.post(f"/api/campaigns/{c['id']}/checkout/").json()
    assert webhook(stripe_server.expire_session(CheckoutBundle.objects.get().checkout_session_id))["status"] == "processed"
    assert CheckoutBundle.objects.get().status == "cancelled" and not Order.objects.exclude(bundle=None).exists()
    second = api.post(f"/api/campaigns/{c['id']}/checkout/").json()
    assert second["bundle_id"] != first["bundle_id"] and len(stripe_server.sessions) == 2


def test_the_browser_pays_through_one_checkout_and_others_cannot(client, api, stripe_server):
    brand = UserFactory(kind=User.Kind.BRAND)
    c = _campaign(api, brand)
    stranger = UserFactory(kind=User.Kind.BRAND)
    api.force_authenticate(stranger)
    assert api.post(f"/api/campaigns/{c['id']}/checkout/").status_code == 404
    client.force_login(stranger)
    assert client.post(f"/campaigns/{c['id']}/", {"action": "pay"}).status_code == 404
    assert not CheckoutBundle.objects.exists()
    client.force_login(brand)
    r = client.post(f"/campaigns/{c['id']}/", {"action": "pay"})
    assert r.status_code == 302 and r["Location"] == CheckoutBundle.objects.get().checkout_url
    assert CampaignTalent.objects.filter(campaign=Campaign.objects.get(), status="awaiting_payment").count() == 3
