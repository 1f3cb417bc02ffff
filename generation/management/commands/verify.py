import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.errors import DomainError
from generation.verification import verify_bytes


class Command(BaseCommand):
    help = "Say whether FILE was made here, under which licence, and whether that licence stands (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            answer = verify_bytes(path.read_bytes(), name=path.name)
        except DomainError as exc:
            raise CommandError(exc.message)
        self.stdout.write(json.dumps(answer, indent=2))
