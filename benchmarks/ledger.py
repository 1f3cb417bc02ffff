"""The ledger under a day of marketplace activity, on PostgreSQL.

    python benchmarks/ledger.py            # DATABASE_URL, else postgres://postgres@127.0.0.1:5432/rightscast_bench_ledger
    python benchmarks/ledger.py --events 20000 --payees-per-talent 5   # smaller

It builds a catalogue (talents with offers, creators and brands holding licences, generations
remixing generations in chains up to 10 deep), then posts the day's paid events through the real
money code (`sharing.paid_event_lines` for the split down the remix chain, `ledger_post_many` for
the balanced postings the database checks with its deferred constraint trigger): licence sales
and per-generation fees drawn from prepaid credit. A sample also goes through the one-at-a-time
path (`ledger_post`, one database transaction each) to show that rate too. Then every payee is
made ready and one payout run (`payout_run`, offline gateway: no network) pays them all.

Last, it checks: no transaction that does not balance, and no minor unit lost: everything paid in
is platform revenue, owed, in transit or paid out, per currency, and every event's parts sum to
it. The catalogue is written with bulk inserts (it is set-up, not what is measured); when the
database is the default bench database it is dropped and created again for each run."""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "rightscast_bench_ledger"


def prepare_database(url: str | None) -> str:
    """Create (or re-create) the default bench database; use a given one as it is."""
    if url:
        return url
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DEFAULT_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DEFAULT_DB}")
    return f"postgres://postgres@127.0.0.1:5432/{DEFAULT_DB}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="paid events to post (default 100000)")
    parser.add_argument("--sales-share", type=float, default=0.2, help="fraction of events that are licence sales")
    parser.add_argument("--talents", type=int, default=300)
    parser.add_argument("--creators", type=int, default=3_000)
    parser.add_argument("--brands", type=int, default=1_500)
    parser.add_argument("--max-depth", type=int, default=10, help="longest remix chain (ancestors)")
    parser.add_argument("--batch", type=int, default=1_000, help="paid events per database transaction")
    parser.add_argument("--single-sample", type=int, default=2_000, help="events also posted one transaction each")
    parser.add_argument("--seed", type=int, default=20251121)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(os.environ.get("DATABASE_URL"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("RIGHTSCAST_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ["DEBUG"] = "0"
    os.environ.pop("STRIPE_SECRET_KEY", None)  # the offline gateway: no network in the payout run
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("benchmarks/ledger.py runs on PostgreSQL (set DATABASE_URL).")
    call_command("migrate", verbosity=0, interactive=False)
    Bench(args).run()


class Bench:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)

    def log(self, message: str) -> None:
        print(message, flush=True)

    def run(self) -> None:
        t0 = time.perf_counter()
        self.build_catalogue()
        self.log(f"catalogue: {len(self.talents)} talents, {len(self.creators)} creators, {len(self.brands)} brands, "
                 f"{len(self.orders)} paid licences, {len(self.uses)} generations in remix chains up to "
                 f"{self.deepest} deep ({time.perf_counter() - t0:.1f}s)")
        self.post_events()
        self.post_single_sample()
        self.payout()
        self.check()

    # --- the catalogue ------------------------------------------------------------------------------

    def build_catalogue(self) -> None:
        from django.utils import timezone

        from accounts.models import User
        from licensing.models import Licence, LicenceTerms, Likeness, UsageRecord
        from marketplace.models import Offer, Order

        a, rng, now = self.args, self.rng, timezone.now()
        tag = f"{int(time.time())}"

        def users(kind: str, n: int) -> list:
            return User.objects.bulk_create(
                [User(email=f"{kind}{i}-{tag}@bench.rightscast.local", kind=kind, display_name=f"{kind} {i}") for i in range(n)],
                batch_size=2000,
            )

        self.talents, self.creators, self.brands = users("talent", a.talents), users("creator", a.creators), users("brand", a.brands)
        likenesses = Likeness.objects.bulk_create(
            [Likeness(owner=t, name=f"Talent {i}", status=Likeness.Status.LISTED) for i, t in enumerate(self.talents)]
        )
        offers = []
        for likeness in likenesses:
            for _ in range(2):
                terms = LicenceTerms.objects.create(
                    duration_days=30, generation_quota=1_000_000, derivatives="allowed",
                    revenue_share_bps=rng.choice([0, 500, 1_000, 2_000, 2_500, 5_000]),
                )
                offers.append(Offer(likeness=likeness, title="Bench", terms=terms, price_minor=rng.randrange(500, 50_000),
                                    per_generation_fee_minor=rng.randrange(25, 1_000), currency=rng.choice(["gbp", "gbp", "usd", "eur"])))
        self.offers = Offer.objects.bulk_create(offers)

        n_sales = int(a.events * a.sales_share)
        buyers = [(c, True) for c in self.creators] + [(b, False) for b in self.brands]
        holders = []
        for i in range(n_sales):
            buyer, creates = buyers[i] if i < len(buyers) else rng.choice(buyers)
            holders.append((buyer, creates, rng.choice(self.offers)))
        licences = Licence.objects.bulk_create(
            [Licence(likeness_id=o.likeness_id, licensee=b, terms_id=o.terms_id, status=Licence.Status.ACTIVE,
                     starts_at=now, ends_at=now + timedelta(days=30)) for b, _, o in holders],
            batch_size=2000,
        )
        self.orders = Order.objects.bulk_create(
            [Order(buyer=b, offer=o, licence=lic, amount_minor=o.price_minor, currency=o.currency, status=Order.Status.PAID,
                   payment_backend="offline", transfer_group=f"order_{lic.pk.hex}", paid_at=now)
             for (b, _, o), lic in zip(holders, licences)],
            batch_size=2000,
        )
        # Generations: made by creators under their licences; each level remixes the level before.
        creator_orders = [o for o, (_, creates, _) in zip(self.orders, holders) if creates]
        n_uses = a.events - n_sales
        levels = a.max_depth + 1
        per_level = [n_uses // levels + (1 if i < n_uses % levels else 0) for i in range(levels)]
        self.uses, previous = [], []
        for depth, count in enumerate(per_level):
            batch = []
            for i in range(count):
                order = rng.choice(creator_orders)
                parent = rng.choice(previous) if previous else None
                batch.append(UsageRecord(licence_id=order.licence_id, reference=f"bench-{depth}-{i}", parent=parent))
            previous = UsageRecord.objects.bulk_create(batch, batch_size=2000)
            self.uses.extend(previous)
        self.deepest = levels - 1
        self.order_by_licence = {o.licence_id: o for o in self.orders}

    # --- posting --------------------------------------------------------------------------------------

    def _event_postings(self, cache: dict) -> list:
        """(posting, amount, currency) for every paid event and the top-ups that fund the fees."""
        from marketplace.models import LedgerAccount, LedgerTransaction
        from marketplace.services import Posting
        from marketplace.services.sharing import chain_for_licence, chains_for_usages, paid_event_lines

        def account(kind, currency, owner=None):
            from marketplace.services import account_for

            key = (kind, owner, currency)
            if key not in cache:
                cache[key] = account_for(kind=kind, currency=currency, owner=owner)
            return cache[key]

        from licensing.models import Licence
        from marketplace.services import accounts_for

        events = []
        offers = {o.pk: o for o in self.offers}
        licences = {lic.pk: lic for lic in Licence.objects.filter(pk__in=[o.licence_id for o in self.orders]).select_related("likeness")}
        chains = chains_for_usages([u.pk for u in self.uses])
        # Every account the day touches, created up front in bulk (one statement, not one per payee).
        keys = set()
        for order in self.orders:
            keys |= {(LedgerAccount.Kind.CLEARING, None, order.currency), (LedgerAccount.Kind.PLATFORM_REVENUE, None, order.currency),
                     (LedgerAccount.Kind.PAYABLE, licences[order.licence_id].likeness.owner_id, order.currency),
                     (LedgerAccount.Kind.BUYER_CREDIT, order.buyer_id, order.currency)}
        for use in self.uses:
            currency = self.order_by_licence[use.licence_id].currency
            keys |= {(LedgerAccount.Kind.PAYABLE, link.party, currency) for link in chains[use.pk]}
        cache.update(accounts_for(keys))
        for order in self.orders:
            lines, _ = paid_event_lines(amount=order.amount_minor, currency=order.currency,
                                        debit=account(LedgerAccount.Kind.CLEARING, order.currency),
                                        chain=chain_for_licence(licences[order.licence_id]), cache=cache)
            events.append((Posting(key=f"sale-{order.pk}", kind=LedgerTransaction.Kind.SALE, description="Licence sale",
                                   lines=lines, order_id=order.pk), order.amount_minor, order.currency))
        fees_by_buyer: dict = {}
        for use in self.uses:
            order = self.order_by_licence[use.licence_id]
            offer = offers[order.offer_id]
            fee, currency = offer.per_generation_fee_minor, order.currency
            lines, _ = paid_event_lines(amount=fee, currency=currency,
                                        debit=account(LedgerAccount.Kind.BUYER_CREDIT, currency, order.buyer_id),
                                        chain=chains[use.pk], cache=cache)
            events.append((Posting(key=f"usage-fee-{use.pk}", kind=LedgerTransaction.Kind.USAGE_FEE,
                                   description="Per-generation fee", lines=lines, order_id=order.pk), fee, currency))
            fees_by_buyer[(order.buyer_id, currency)] = fees_by_buyer.get((order.buyer_id, currency), 0) + fee
        self.rng.shuffle(events)  # a day's events interleave
        topups = [
            Posting(key=f"bench-topup-{buyer}-{currency}", kind=LedgerTransaction.Kind.TOPUP, description="Prepaid credit top-up",
                    lines=[(account(LedgerAccount.Kind.CLEARING, currency), total),
                           (account(LedgerAccount.Kind.BUYER_CREDIT, currency, buyer), -total)])
            for (buyer, currency), total in fees_by_buyer.items()
        ]
        return events, topups

    def post_events(self) -> None:
        from marketplace.services import ledger_post_many

        cache: dict = {}
        t0 = time.perf_counter()
        events, topups = self._event_postings(cache)
        split_s = time.perf_counter() - t0
        self.paid_in: dict = {}
        for _, amount, currency in events:
            self.paid_in[currency] = self.paid_in.get(currency, 0) + amount
        for posting, amount, _ in events:
            if sum(m for _, m in posting.lines[1:]) != -amount:
                raise SystemExit(f"event {posting.key}: parts do not sum to {amount}")
        self.single = events[-self.args.single_sample:] if self.args.single_sample else []
        bulk = events[: len(events) - len(self.single)]
        t1 = time.perf_counter()
        posted = ledger_post_many(topups)
        for i in range(0, len(bulk), self.args.batch):
            posted += ledger_post_many([p for p, _, _ in bulk[i : i + self.args.batch]])
        self.bulk_s = time.perf_counter() - t1
        self.bulk_posted = posted
        entries = sum(len(p.lines) for p, _, _ in bulk) + 2 * len(topups)
        self.rate = posted / self.bulk_s
        self.log(f"split {len(events):,} paid events down their chains in {split_s:.1f}s; "
                 f"posted {posted:,} balanced transactions ({entries:,} entries, {len(topups):,} top-ups) "
                 f"in {self.bulk_s:.1f}s: {self.rate:,.0f} postings/s (batches of {self.args.batch})")

    def post_single_sample(self) -> None:
        if not self.single:
            return
        from marketplace.services import ledger_post

        t0 = time.perf_counter()
        for posting, _, _ in self.single:
            ledger_post(key=posting.key, kind=posting.kind, description=posting.description, lines=posting.lines,
                        order=None, external_id="")
        elapsed = time.perf_counter() - t0
        self.single_rate = len(self.single) / elapsed
        self.log(f"one transaction per event: {len(self.single):,} postings in {elapsed:.1f}s: {self.single_rate:,.0f} postings/s "
                 f"({1000 * elapsed / len(self.single):.2f} ms each)")

    # --- payout ---------------------------------------------------------------------------------------

    def payout(self) -> None:
        from django.db.models import Sum

        from marketplace.models import LedgerAccount, PayeeAccount, Payout
        from marketplace.services import payout_run

        earners = set(LedgerAccount.objects.filter(kind=LedgerAccount.Kind.PAYABLE).values_list("owner_id", flat=True))
        PayeeAccount.objects.bulk_create(
            [PayeeAccount(user_id=u, backend="offline", account_id=f"acct_offline_bench_{u}", details_submitted=True,
                          charges_enabled=True, payouts_enabled=True, transfers_active=True) for u in earners],
            batch_size=2000, ignore_conflicts=True,
        )
        t0 = time.perf_counter()
        run = payout_run(triggered_by="benchmark", minimum=1)
        self.payout_s = time.perf_counter() - t0
        per_payee = Payout.objects.filter(run=run).values("payee", "currency").annotate(n=Sum(1)).filter(n__gt=1).count()
        self.log(f"payout run: {run.paid:,} transfers to {len(earners):,} payees ({run.reserved:,} reserved, {run.failed} failed, "
                 f"{per_payee} payees paid twice in one currency) in {self.payout_s:.1f}s")
        again = payout_run(triggered_by="benchmark", minimum=1)
        self.log(f"a second run right after: {again.reserved} reserved, {again.paid} paid")

    # --- checks ------------------------------------------------------------------------------------------

    def check(self) -> None:
        from django.db.models import Sum

        from marketplace.models import LedgerAccount, LedgerEntry, LedgerTransaction
        from marketplace.services.reconcile import imbalanced_transactions, ledger_checks

        K, TK = LedgerAccount.Kind, LedgerTransaction.Kind
        imbalanced = imbalanced_transactions()
        checks = ledger_checks()

        def total(**filters) -> dict:
            rows = LedgerEntry.objects.filter(**filters).values("currency").annotate(t=Sum("amount_minor"))
            return {r["currency"]: int(r["t"]) for r in rows}

        # Everything paid in (sales and fees) is, per currency, platform revenue or a payee's
        # (owed, being transferred, or transferred); nothing else.
        revenue = total(account__kind=K.PLATFORM_REVENUE)
        owed = total(account__kind=K.PAYABLE)
        in_transit = total(account__kind=K.IN_TRANSIT)
        paid_out = total(account__kind=K.IN_TRANSIT, transaction__kind=TK.PAYOUT_SENT)
        lost = 0
        for currency, paid_in in self.paid_in.items():
            accounted = -revenue.get(currency, 0) - owed.get(currency, 0) - in_transit.get(currency, 0) + paid_out.get(currency, 0)
            lost += abs(paid_in - accounted)
        lost += sum(abs(v) for v in total().values())  # every currency's entries sum to zero
        lost += sum(abs(v) for v in owed.values())  # the payout left nobody owed anything
        transactions = LedgerTransaction.objects.count()
        self.log(f"checks: {transactions:,} ledger transactions; imbalanced {imbalanced}; thin {checks['transactions_with_fewer_than_two_entries']}; "
                 f"guards missing {checks['guards_missing'] or 'none'}; paid in {self.paid_in}")
        print(f"ledger: {self.rate:.0f} postings/s; imbalanced transactions {imbalanced}; cents lost {lost}", flush=True)
        if imbalanced or lost:
            sys.exit(1)


if __name__ == "__main__":
    main()
