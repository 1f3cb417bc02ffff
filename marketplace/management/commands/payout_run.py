from django.core.management.base import BaseCommand

from marketplace.services import payout_run


class Command(BaseCommand):
    help = "Pay every ready payee whose balance reaches the minimum (what Celery beat runs on a schedule)."

    def add_arguments(self, parser):
        parser.add_argument("--minimum", type=int, default=None, help="minimum balance in minor units (default: PAYOUT_MINIMUM_MINOR)")
        parser.add_argument("--no-lock", action="store_true", help="do not take the run lock (the database still allows one payout per payee)")

    def handle(self, *args, minimum=None, no_lock=False, **options):
        run = payout_run(triggered_by="command", minimum=minimum, use_lock=not no_lock)
        if run is None:
            self.stdout.write("Another payout run is in progress; nothing done.")
            return
        self.stdout.write(f"Payout run {run.pk}: {run.reserved} reserved, {run.paid} paid, {run.failed} failed.")
