"""Shared by the money fault tests: the Stripe-shaped server wired in, real processes running
management commands against the test database, and builders on the real service paths."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from django.db import close_old_connections, connection
from django.test import Client

from marketplace import services
from marketplace.models import PayeeAccount
from tests.factories import UserFactory, listed_likeness
from tests.marketplace.stripe_server import sign

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_test_rightscast"


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def manage(fake, *args: str, env: dict | None = None) -> subprocess.Popen:
    """`manage.py <args>` in a real process, on the test database and the fake Stripe."""
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "STRIPE_SECRET_KEY": fake.api_key,
        "STRIPE_WEBHOOK_SECRET": SECRET,
        "STRIPE_API_BASE": fake.url,
        "PAYOUT_MINIMUM_MINOR": "1",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def deliver(event: dict) -> int:
    """A signed webhook delivery from its own thread's client (its own database connection)."""
    body = json.dumps(event).encode()
    r = Client().post("/api/stripe/webhook/", body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body, SECRET))
    return r.status_code


def in_threads(fn, items, workers: int = 8) -> list:
    """Run fn(item) for every item from `workers` threads at once; each thread closes its connection."""
    results, errors = [], []
    lock = threading.Lock()
    queue = list(items)
    start = threading.Barrier(workers)

    def work():
        close_old_connections()
        try:
            start.wait(30)
            while True:
                with lock:
                    if not queue:
                        return
                    item = queue.pop(0)
                try:
                    out = fn(item)
                    with lock:
                        results.append(out)
                except Exception as exc:  # collected, re-raised below
                    with lock:
                        errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    if errors:
        raise errors[0]
    return results


def paid_payees(fake, count: int, price: int = 10_000):
    """`count` talents, each with a paid order (through Checkout and the signed webhook) and a
    ready Express account. Returns [(talent, payee_account)]."""
    out = []
    for i in range(count):
        likeness, offer = listed_likeness(price_minor=price + i, name=f"Talent {i}")
        order = services.order_create(buyer=UserFactory(), offer=offer)
        assert deliver(fake.complete_session(order.checkout_session_id)) == 200
        services.payee_onboarding_start(user=likeness.owner)
        payee = PayeeAccount.objects.get(user=likeness.owner)
        assert deliver(fake.onboard(payee.account_id)) == 200
        payee.refresh_from_db()
        assert payee.is_ready
        out.append((likeness.owner, payee))
    return out
