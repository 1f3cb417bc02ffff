"""`make run`: the embedded default in one process. Migrates, seeds the demo, builds the built-in
model, starts the in-process worker and serves HTTP and websockets (Daphne) on 127.0.0.1:8000."""
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run Rightscast on its embedded default (SQLite, in-process worker, built-in model, demo data)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-seed", action="store_true")

    def handle(self, *args, addrport, no_seed, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not no_seed:
            call_command("seed_demo")
        self.stdout.write("Preparing the generation model (built-in development model on first run)…")
        from generation import config

        rt = config.runtime()
        self.stdout.write(f"Model: {rt.model_name} on {rt.device}{' (development model)' if rt.is_development_model else ''}")
        config.signing_material()
        if settings.CELERY_BROKER_URL.startswith("memory://"):
            from generation.worker import start_in_process_worker

            start_in_process_worker()
        self.stdout.write(self.style.SUCCESS(f"\nRightscast is running: open http://{addrport}/\n"))
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
