# staffwell: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export STAFFWELL_ENV ?= development

.PHONY: run test lint check-migrations pytest setup setup-dev system-deps browser frontend bench lock worker clean

## Set-up ---------------------------------------------------------------------------
$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/static/nhsuk/.built: node_modules/.installed scripts/build_frontend.py
	$(PY) scripts/build_frontend.py
	@touch $@

frontend: $(VENV)/.runtime build/static/nhsuk/.built
setup: frontend
setup-dev: setup $(VENV)/.dev

# Debian packages: Chromium for the browser tests, Pango for PDFs, Poppler to check them.
system-deps:
	@bash scripts/system_deps.sh

## Run ------------------------------------------------------------------------------
run: setup
	@bash scripts/system_deps.sh --optional
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo
	@echo ""
	@echo "staffwell is starting on http://127.0.0.1:8000 (Ctrl+C to stop)"
	@trap 'kill 0' EXIT; DEBUG=$${DEBUG:-true} $(PY) manage.py db_worker --queue-name '*' -v 0 & DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:8000

worker: setup
	$(PY) manage.py db_worker --queue-name '*'

## Test -----------------------------------------------------------------------------
test: setup-dev system-deps lint check-migrations pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_scoping.py

check-migrations: $(VENV)/.runtime
	$(PY) manage.py makemigrations --check --dry-run -v 1

# The suite runs on every core (pytest-xdist, ADR 0027); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
pytest: setup-dev
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: setup-dev
	$(PY) -m bench $(BENCH_ARGS)

## Maintenance ----------------------------------------------------------------------
lock:
	bash scripts/lock.sh

clean:
	rm -rf $(VENV) node_modules build staticfiles .pytest_cache
