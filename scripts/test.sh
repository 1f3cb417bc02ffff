#!/usr/bin/env bash
# All three tiers. Unit and end-to-end on SQLite; integration on real PostgreSQL and Redis with a
# real Celery worker process (DATABASE_URL / REDIS_URL default to this machine's services).
set -u
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
status=0

bash scripts/ensure_chromium.sh || { echo "chromium could not be installed"; status=1; }
bash scripts/ensure_dictionaries.sh || { echo "the screening dictionaries could not be installed"; status=1; }
bash scripts/services.sh

echo "== lint (ruff) =="
"$PY" -m ruff check . || status=1

echo "== production settings: manage.py check --deploy =="
env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.production ALLOWED_HOSTS=rightscast.example \
  SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  "$PY" manage.py check --deploy --fail-level WARNING || status=1

echo "== unit and end-to-end tiers (SQLite) =="
env -u DATABASE_URL -u REDIS_URL "$PY" -m pytest -m "not integration" || status=1

echo "== integration tier (PostgreSQL, Redis, Celery worker process) =="
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15} \
  "$PY" -m pytest -m integration || status=1

exit $status
