"""Payouts under faults, on PostgreSQL with real processes: a payout run killed with SIGKILL in
the middle (after Stripe made a transfer, before the run recorded it) and run again; two runs at
once. Every payee is transferred exactly once and every ledger transaction balances."""
import collections
import signal

import pytest

from marketplace import services
from marketplace.models import Payout, PayoutRun
from tests.integration.money_support import manage, paid_payees
from tests.marketplace.money import assert_ledger_balanced, owed, summary

pytestmark = pytest.mark.django_db(transaction=True)
PAYEES = 6


@pytest.fixture
def fake(fake, settings):
    """The shared Stripe-shaped server (tests/integration/conftest.py) with this module's settings."""
    settings.PAYOUT_MINIMUM_MINOR = 1
    return fake


def _assert_paid_exactly_once(fake, payees):
    by_destination = collections.Counter(t["destination"] for t in fake.transfers.values())
    assert sorted(by_destination.values()) == [1] * len(payees), by_destination
    for talent, payee in payees:
        (transfer,) = fake.transfers_to(payee.account_id)
        payout = Payout.objects.get(payee=talent, status="paid")
        assert payout.transfer_id == transfer["id"] and transfer["amount"] == payout.amount_minor
        assert owed(talent) == 0 and summary(talent)["pending_minor"] == 0 and summary(talent)["paid_minor"] == payout.amount_minor
    assert not Payout.objects.filter(status="reserved").exists()
    services.provider_fees_sync(backend="stripe")  # Stripe's fees, booked from its balance transactions
    report = services.ledger_reconcile(backend="stripe")
    assert report.ok, (report.differences, report.checks)
    assert_ledger_balanced()


def test_a_payout_run_killed_midway_and_run_again_pays_everyone_once(fake):
    payees = paid_payees(fake, PAYEES)
    fake.hold_transfer_number = 3  # Stripe makes the 3rd transfer; its answer never reaches the run
    run = manage(fake, "payout_run")
    assert fake.transfer_held.wait(120), run.communicate(timeout=5)[0]
    run.send_signal(signal.SIGKILL)
    run.wait(30)
    assert run.returncode == -signal.SIGKILL
    fake.release_held.set()

    assert len(fake.transfers) == 3  # Stripe made three transfers; the run recorded none of the batch
    recorded = Payout.objects.filter(status="paid").count()
    assert recorded < 3 and Payout.objects.filter(status="reserved").count() == PAYEES - recorded
    assert PayoutRun.objects.get().status == "running"  # it never finished

    fake._idem.clear()  # and a day later, when Stripe has forgotten the idempotency keys
    again = manage(fake, "payout_run")
    out = again.communicate(timeout=180)[0]
    assert again.returncode == 0, out
    assert "0 reserved" in out and f"{PAYEES - recorded} paid" in out, out
    _assert_paid_exactly_once(fake, payees)
    assert len(fake.posts("/v1/transfers")) == PAYEES  # the unrecorded transfers were found, not made again


@pytest.mark.parametrize("lock", [True, False], ids=["with-run-lock", "constraints-only"])
def test_two_payout_runs_at_once_pay_everyone_once(fake, lock):
    payees = paid_payees(fake, PAYEES)
    fake.transfer_delay = 0.5  # slow transfers, so the two runs overlap
    args = ["payout_run"] if lock else ["payout_run", "--no-lock"]
    runs = [manage(fake, *args), manage(fake, *args)]
    outputs = [r.communicate(timeout=240)[0] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outputs
    _assert_paid_exactly_once(fake, payees)
    if lock:
        assert any("Another payout run is in progress" in o for o in outputs), outputs
    else:
        assert PayoutRun.objects.count() == 2  # both ran, side by side
        assert sum(PayoutRun.objects.values_list("paid", flat=True)) == PAYEES  # each payout recorded by one of them
    # a third run finds nothing to do
    assert services.payout_run().reserved == 0 and len(fake.transfers) == PAYEES
