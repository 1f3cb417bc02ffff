import json
import time
from datetime import datetime, timezone
from json import loads

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.models import ReconciliationRun
from marketplace.payments import GatewayDeclined, GatewayError
from marketplace.services import ledger_reconcile
from marketplace.services.fees import provider_fees_sync


class Command(BaseCommand):
    help = ("Check the ledger's invariants and compare it with the payment provider's balance transactions; "
            "report every difference. Exits 1 when anything differs.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=float, default=None, help="only the last N days (default: everything)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--book-fees", action="store_true",
                            help="first book the provider's fees from its balance transactions (as the scheduled sync does)")

    def handle(self, *args, days=None, json=False, book_fees=False, **options):
        if days is not None and days <= 0:
            raise CommandError("--days is a positive number of days.")
        since = int(time.time() - days * 86400) if days else None
        try:
            if book_fees:
                provider_fees_sync(backend=settings.PAYMENT_BACKEND, since=since)
            report = ledger_reconcile(backend=settings.PAYMENT_BACKEND, since=since)
        except GatewayError as exc:
            raise CommandError(f"The payment provider could not be reached: {exc}") from exc
        except GatewayDeclined as exc:
            raise CommandError(f"The payment provider refused the request: {exc.message}") from exc
        ReconciliationRun.objects.create(
            backend=settings.PAYMENT_BACKEND, since=datetime.fromtimestamp(since, tz=timezone.utc) if since else None, ok=report.ok,
            checks=loads(_json(report))["checks"], differences=loads(_json(report))["differences"],
        )
        if json:
            self.stdout.write(_json(report))
        else:
            self.stdout.write(f"backend: {settings.PAYMENT_BACKEND}")
            for key, value in report.checks.items():
                self.stdout.write(f"  {key}: {value}")
            self.stdout.write(f"provider sources: {report.provider_sources}; ledger sources: {report.ledger_sources}")
            for diff in report.differences:
                self.stdout.write("  DIFFERENCE " + ", ".join(f"{k}={v}" for k, v in diff.items()))
            self.stdout.write("reconciled: no differences" if report.ok else f"NOT reconciled: {len(report.differences)} difference(s)")
        if not report.ok:
            raise SystemExit(1)


def _json(report) -> str:
    return json.dumps({"ok": report.ok, "checks": report.checks, "differences": report.differences}, default=list, indent=2)
