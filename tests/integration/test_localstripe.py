"""The payment paths against an independent fake nobody here wrote: localstripe (PyPI), run as a
subprocess on 127.0.0.1 with a free port, for PaymentIntents, refunds, events, balance
transactions and webhooks, through the official SDK and the project's own gateway and services.

What localstripe lacks, and where the project's own Stripe-shaped server
(tests/marketplace/stripe_server.py) stays the test bed: Checkout Sessions, Connect accounts and
Account Links, Transfers (all answer 404 here); its balance transactions carry no fees. Here the
test plays Checkout's part: it pays a PaymentIntent at localstripe and delivers the
`checkout.session.completed` event Checkout would send (signed with the endpoint's secret); the
charge lookup, refunds, the Events API, balance transactions and webhook signatures are
localstripe's own. localstripe also refuses `created` on the balance-transaction list, which
exercises `ledger_reconcile --days` against a provider that refuses a parameter.

localstripe keeps its state in `/tmp/localstripe.pickle`, shared by every process on the machine;
here it runs through `tests/integration/localstripe_run.py` with a store in this session's own
temporary directory, so parallel runs never see each other's objects (each test checks that the
shared file was left alone)."""
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
import stripe
from django.core.management import call_command

from accounts.models import User
from marketplace import services
from marketplace.models import LedgerTransaction, PaymentEvent, Refund
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.money import assert_ledger_balanced, owed
from tests.marketplace.stripe_server import sign

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_localstripe_rightscast"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SHARED_STORE = Path("/tmp/localstripe.pickle")  # where localstripe itself would keep its state


def _stamp(path: Path):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_size


@pytest.fixture(scope="session")
def localstripe_store(tmp_path_factory) -> Path:
    """This test session's own localstripe store: parallel sessions never share one."""
    return tmp_path_factory.mktemp("localstripe") / "store.pickle"


@pytest.fixture
def localstripe(settings, localstripe_store):
    port = _free_port()
    shared_before = _stamp(SHARED_STORE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.localstripe_run", "--port", str(port), "--store", str(localstripe_store)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/v1/balance", auth=("sk_test_local", ""), timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("localstripe did not start")
            time.sleep(0.2)
        # Started from scratch on this session's own store; emptied between tests of the session.
        assert requests.delete(f"{url}/_config/data", auth=("sk_test_local", ""), timeout=5).status_code == 200
        settings.STRIPE_SECRET_KEY = "sk_test_local"
        settings.STRIPE_API_BASE = url
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        settings.PAYMENT_BACKEND = "stripe"
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    # The shared file in /tmp was neither created nor written: another session's state is safe.
    assert _stamp(SHARED_STORE) == shared_before


def _sdk(url):
    return stripe.StripeClient("sk_test_local", base_addresses={"api": url})


def _pay_at_localstripe(url, amount, order):
    """What Checkout does for the buyer: a PaymentIntent paid by card."""
    sdk = _sdk(url)
    pm = sdk.v1.payment_methods.create(params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030,
                                                                        "cvc": "123"}})
    return sdk.v1.payment_intents.create(params={"amount": amount, "currency": "gbp", "payment_method": pm.id, "confirm": True,
                                                 "metadata": {"kind": "order", "order_id": str(order.pk)}})


def _checkout_completed(order, intent_id, amount):
    return {"id": f"evt_checkout_{order.pk.hex}", "object": "event", "type": "checkout.session.completed", "created": int(time.time()),
            "data": {"object": {"id": f"cs_{order.pk.hex}", "object": "checkout.session", "client_reference_id": str(order.pk),
                                "metadata": {"kind": "order", "order_id": str(order.pk)}, "payment_status": "paid", "status": "complete",
                                "payment_intent": intent_id, "amount_total": amount, "currency": "gbp"}}}


def _deliver(client, event_or_body, signature=None):
    body = event_or_body if isinstance(event_or_body, bytes) else json.dumps(event_or_body).encode()
    return client.post("/api/stripe/webhook/", body, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=signature or sign(body, SECRET))


def test_checkout_is_missing_at_localstripe_so_an_order_waits_with_a_clear_error(localstripe):
    _, offer = listed_likeness(price_minor=5_000)
    from accounts.errors import DomainError

    with pytest.raises(DomainError):
        services.order_create(buyer=UserFactory(), offer=offer)  # POST /v1/checkout/sessions: 404 at localstripe


def test_payment_refund_events_balance_and_reconciliation_against_localstripe(client, localstripe, localstripe_store):
    likeness, offer = listed_likeness(price_minor=10_000)
    buyer = UserFactory()
    from accounts.errors import DomainError
    from marketplace.models import Order

    # order_create writes the pending order and licence, then asks for a Checkout session, which
    # localstripe does not have (404): the order waits, and the test pays as Checkout would.
    with pytest.raises(DomainError):
        services.order_create(buyer=buyer, offer=offer)
    order = Order.objects.get(buyer=buyer, status="pending")
    intent = _pay_at_localstripe(localstripe, 10_000, order)
    assert localstripe_store.exists()  # localstripe's state went to this session's own store
    r = _deliver(client, _checkout_completed(order, intent.id, 10_000))
    assert r.status_code == 200, r.content
    order.refresh_from_db()
    assert order.status == "paid" and order.charge_id.startswith("ch_")  # the charge read back from localstripe's PaymentIntent
    talent_share = owed(likeness.owner)

    refund = services.order_refund(order=order, actor=UserFactory(kind=User.Kind.MODERATOR), amount_minor=2_500)
    assert refund.status == "succeeded" and refund.provider_refund_id.startswith("re_")
    from marketplace.payments import gateway

    assert [r["id"] for r in gateway().list_refunds(payment_intent_id=intent.id)] == [refund.provider_refund_id]
    assert owed(likeness.owner) == talent_share - 2_000

    # The Events API: everything localstripe recorded is fed through the same door, once.
    call_command("stripe_replay_events", "--since", str(int(time.time()) - 300), stdout=io.StringIO())
    seen = PaymentEvent.objects.filter(event_id__startswith="evt_").exclude(event_id=f"evt_checkout_{order.pk.hex}").count()
    assert seen >= 1
    call_command("stripe_replay_events", "--since", str(int(time.time()) - 300), stdout=io.StringIO())
    assert PaymentEvent.objects.filter(event_id__startswith="evt_").exclude(event_id=f"evt_checkout_{order.pk.hex}").count() == seen
    assert Refund.objects.count() == 1 and LedgerTransaction.objects.filter(kind="sale").count() == 1

    # Balance transactions: localstripe refuses `created`; the reconciliation reads unfiltered.
    assert services.provider_fees_sync(since=int(time.time()) - 86400) == {"booked": 0, "waiting": []}  # no fees at localstripe
    out = io.StringIO()
    try:
        call_command("ledger_reconcile", "--days", "1", "--book-fees", stdout=out)
    except SystemExit:
        pytest.fail(out.getvalue())
    assert "reconciled: no differences" in out.getvalue(), out.getvalue()
    assert_ledger_balanced()


def test_webhooks_signed_by_localstripe_are_accepted_once_and_forgeries_refused(client, localstripe):
    received: list[tuple[bytes, str]] = []
    done = threading.Event()

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((body, self.headers["Stripe-Signature"]))
            self.send_response(200)
            self.end_headers()
            done.set()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        r = requests.post(f"{localstripe}/_config/webhooks/rightscast", auth=("sk_test_local", ""), timeout=5,
                          data={"url": f"http://127.0.0.1:{server.server_address[1]}/", "secret": SECRET})
        assert r.status_code == 200
        _, offer = listed_likeness(price_minor=1_000)
        from marketplace.models import Order

        _pay_at_localstripe(localstripe, 1_000, Order(pk=__import__("uuid").uuid4()))
        assert done.wait(20), "localstripe sent no webhook"
    finally:
        server.shutdown()
        server.server_close()
    body, signature = received[0]
    r = _deliver(client, body, signature)  # localstripe's own signature, checked by the SDK
    assert r.status_code == 200, r.content
    assert _deliver(client, body, signature).status_code == 200
    event_id = json.loads(body)["id"]
    assert PaymentEvent.objects.filter(event_id=event_id).count() == 1
    forged = body.replace(b'"livemode": false', b'"livemode": true')
    assert forged != body
    assert _deliver(client, forged, signature).status_code == 400
