import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace.payments import GatewayError
from marketplace.services import payment_events_replay


class Command(BaseCommand):
    help = "Fetch events from Stripe's Events API and handle any this site missed (safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=72.0, help="how far back to look (Stripe keeps 30 days)")
        parser.add_argument("--since", type=int, default=None, help="a Unix time to start from instead of --hours")

    def handle(self, *args, hours=72.0, since=None, **options):
        if settings.PAYMENT_BACKEND != "stripe":
            raise CommandError("Stripe is not configured (STRIPE_SECRET_KEY): there are no events to replay.")
        if since is None:
            if not 0 < hours <= 24 * 30:
                raise CommandError("--hours is between 0 and 720.")
            since = int(time.time() - hours * 3600)
        try:
            counts = payment_events_replay(backend="stripe", since=since)
        except GatewayError as exc:
            raise CommandError(f"Stripe could not be reached: {exc}") from exc
        self.stdout.write(f"{counts['seen']} events seen, {counts['new']} new.")
