import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.payments import GatewayError
from marketplace.services import ledger_reconcile


class Command(BaseCommand):
    help = ("Check the ledger's invariants and compare it with the payment provider's balance transactions; "
            "report every difference. Exits 1 when anything differs.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=float, default=None, help="only the last N days (default: everything)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, days=None, json=False, **options):
        since = int(time.time() - days * 86400) if days else None
        try:
            report = ledger_reconcile(backend=settings.PAYMENT_BACKEND, since=since)
        except GatewayError as exc:
            raise CommandError(f"The payment provider could not be reached: {exc}") from exc
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
