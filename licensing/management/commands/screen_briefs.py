"""Screen briefs from a JSON-lines file: each line ``{"brief": "...", "rules": ["no alcohol"]}``
(rules optional); prints one JSON line per brief, in order: ``{"allowed", "categories", "reasons"}``,
screened exactly as a brief to a likeness with those owner rules and no relaxed categories.
A line that is not such an object prints ``{"error": "..."}`` in its place (exit status 1)."""
import json
import sys

from django.core.management.base import BaseCommand, CommandError


def _parse(line: str):
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg}"
    if not isinstance(item, dict) or not isinstance(item.get("brief"), str):
        return None, 'expected an object with a "brief" string'
    rules = item.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        return None, '"rules" must be a list of strings'
    if len(item["brief"]) > 2000:
        return None, "the brief is longer than 2000 characters"
    return (item["brief"], rules), None


class Command(BaseCommand):
    help = "Screen briefs (JSON lines: brief, optional rules) and print one JSON verdict per line."

    def add_arguments(self, parser):
        parser.add_argument("file", help='JSON lines file ("-" for standard input)')

    def handle(self, *args, **options):
        from licensing.screening import load_model, screen_one

        path = options["file"]
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}")
        load_model()
        failed = False
        with stream:
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                parsed, error = _parse(line)
                if error:
                    failed = True
                    self.stdout.write(json.dumps({"error": f"line {n}: {error}"}))
                    continue
                brief, rules = parsed
                self.stdout.write(json.dumps(screen_one(brief, rules), ensure_ascii=False))
        if failed:
            sys.exit(1)
