# The two commands: `make run` (the product on its embedded default) and `make test` (every tier).
# Both set up what they need on a fresh machine: a virtualenv with torch's CPU wheel first, the
# project and its test extras, and (for the tests) Debian's chromium and the local services.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run test test-unit test-integration test-e2e lint bench

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test]"
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)
	@bash scripts/ensure_dictionaries.sh || echo "the screen's German, French and Spanish dictionaries could not be installed: those languages are not glossed"

run: install
	$(PY) manage.py rundev

test: install
	bash scripts/test.sh

test-unit: install
	$(PY) -m pytest -m "not integration and not e2e"

test-e2e: install
	bash scripts/ensure_chromium.sh
	$(PY) -m pytest -m e2e

test-integration: install
	bash scripts/services.sh
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
		$(PY) -m pytest -m integration

lint: install
	$(PY) -m ruff check .
