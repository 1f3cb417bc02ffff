"""Faults and concurrency on PostgreSQL for the new money paths: two add-on purchases at once
(one checkout, one extension, one posting), studios' payouts killed mid-run and run again (each
studio paid once), fee syncs racing each other and a late charge event (each fee booked once),
and a job-cancel racing the same brief's release (quota and fee returned once). Nothing charged
twice, nothing paid twice, no imbalanced transaction."""
import collections
import signal

import pytest

from accounts.models import User
from licensing import services as licensing
from licensing.models import Licence
from marketplace import services
from marketplace.models import LedgerTransaction, LicenceAddOn, PayeeAccount, Payout
from marketplace.services.addons import addon_create, addon_mark_paid
from marketplace.services.studios import organisation_holder, studio_payee_onboarding_start
from tests.factories import UserFactory, listed_likeness, studio_with_asset
from tests.integration.money_support import deliver, in_threads, manage
from tests.marketplace.money import assert_ledger_balanced, owed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake(fake, settings):
    """The shared Stripe-shaped server (tests/integration/conftest.py) with this module's settings."""
    settings.PAYOUT_MINIMUM_MINOR = 1
    return fake


def test_two_add_on_purchases_at_once_charge_and_extend_once(fake):
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="X", price_minor=5_000, currency="gbp",
                                  generation_quota=5, addon_generation_price_minor=100)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=brand, offer=offer)
    assert deliver(fake.complete_session(order.checkout_session_id)) == 200
    licence = Licence.objects.get(pk=order.licence_id)
    addons = in_threads(lambda _: addon_create(buyer=brand, licence=licence, generations=10).pk, range(6), workers=6)
    assert len(set(addons)) == 1 and LicenceAddOn.objects.count() == 1
    addon = LicenceAddOn.objects.get()
    # Racing requests may each ask Stripe, but under one idempotency key: one session, one charge.
    keys = {r["idempotency_key"] for r in fake.requests if r["path"] == "/v1/checkout/sessions"}
    assert keys == {f"checkout-{order.pk}", f"addon-checkout-{addon.pk}"} and len(fake.sessions) == 2
    event = fake.complete_session(addon.checkout_session_id)
    assert set(in_threads(deliver, [event] * 6, workers=6)) == {200}
    in_threads(lambda _: addon_mark_paid(addon_id=addon.pk), range(4), workers=4)
    assert Licence.objects.get(pk=licence.pk).terms.generation_quota == 15
    assert LedgerTransaction.objects.filter(idempotency_key=f"addon-{addon.pk}").count() == 1
    assert_ledger_balanced()


def test_studio_payouts_killed_mid_run_pay_each_studio_once(fake):
    studios = []
    for i in range(4):
        asset, member = studio_with_asset(name=f"Character {i}")
        offer = services.offer_create(ip_asset=asset, actor=member, title="Use", price_minor=10_000 + i, currency="gbp")
        order = services.order_create(buyer=UserFactory(kind=User.Kind.BRAND), offer=offer)
        assert deliver(fake.complete_session(order.checkout_session_id)) == 200
        studio_payee_onboarding_start(actor=member, organisation=asset.studio, country="GB")
        holder = organisation_holder(organisation=asset.studio)
        assert deliver(fake.onboard(PayeeAccount.objects.get(user=holder).account_id)) == 200
        studios.append(holder)
    fake.hold_transfer_number = 2
    run = manage(fake, "payout_run")
    assert fake.transfer_held.wait(120), run.communicate(timeout=5)[0]
    run.send_signal(signal.SIGKILL)
    run.wait(30)
    fake.release_held.set()
    fake._idem.clear()
    again = manage(fake, "payout_run")
    out = again.communicate(timeout=180)[0]
    assert again.returncode == 0, out
    by_destination = collections.Counter(t["destination"] for t in fake.transfers.values())
    assert sorted(by_destination.values()) == [1] * 4, by_destination
    for holder in studios:
        assert owed(holder) == 0 and Payout.objects.get(payee=holder).status == "paid"
    # each transfer was funded from its studio's own charge
    assert all(t["source_transaction"] for t in fake.transfers.values())
    services.provider_fees_sync(backend="stripe")
    assert services.ledger_reconcile(backend="stripe").ok
    assert_ledger_balanced()


def test_fee_syncs_racing_a_late_charge_event_book_each_fee_once(fake):
    likeness, offer = listed_likeness(price_minor=20_000)
    orders = [services.order_create(buyer=UserFactory(), offer=offer) for _ in range(3)]
    events = [fake.complete_session(o.checkout_session_id) for o in orders]
    assert deliver(events[0]) == 200
    # Fee syncs race each other while the other two charges' webhooks arrive late, at the same time.
    work = ["sync"] * 6 + events[1:]
    in_threads(lambda item: services.provider_fees_sync(backend="stripe") if item == "sync" else deliver(item), work, workers=8)
    services.provider_fees_sync(backend="stripe")
    assert LedgerTransaction.objects.filter(kind="provider_fee").count() == 3
    assert services.ledger_reconcile(backend="stripe").ok
    assert_ledger_balanced()


def test_releases_racing_return_quota_and_fee_once(fake):
    likeness, _ = listed_likeness()
    offer = services.offer_create(likeness=likeness, actor=likeness.owner, title="Fee", price_minor=1_000, currency="gbp",
                                  per_generation_fee_minor=300, generation_quota=5)
    brand = UserFactory(kind=User.Kind.BRAND)
    order = services.order_create(buyer=brand, offer=offer)
    assert deliver(fake.complete_session(order.checkout_session_id)) == 200
    topup = services.topup_create(buyer=brand, amount_minor=1_000, currency="gbp")
    assert deliver(fake.complete_session(topup.checkout_session_id)) == 200
    from django.db import transaction

    with transaction.atomic():
        lic = Licence.objects.select_for_update().select_related("terms").get(pk=order.licence_id)
        licensing.usage_record(licence=lic, reference="brief-race")
    results = in_threads(lambda _: licensing.usage_release(reference="brief-race", reason="race"), range(6), workers=6)
    assert sorted(results) == [0] * 5 + [1]
    assert Licence.objects.get(pk=order.licence_id).quota_used == 0
    assert services.credit_balance(user=brand, currency="gbp") == 1_000
    assert LedgerTransaction.objects.filter(kind="usage_fee_refund").count() == 1
    assert_ledger_balanced()
