# Zorg en Welzijn: `make run` to try it, `make test` to test it. `make help` lists all.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
VAR_DIR ?= var

.PHONY: help install run start test migrate seed web worker beat check-deploy clean bench-send bench-pages

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv with the pinned dependencies (does nothing when up to date)

$(STAMP): requirements.txt requirements-dev.txt package.json package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

seed: migrate ## Load the demo content (idempotent)
	$(BIN)/python manage.py seed_demo

.NOTPARALLEL: run
run: seed start ## Install, migrate, load the demo and start web, Celery worker and beat on http://127.0.0.1:8000/ (Ctrl-C stops all three)

# After Ctrl-C honcho stops all three and exits 130: the stop that was asked for, not an error.
# One clock in the merged log: honcho's time stamps in the site's time zone (TIME_ZONE), as
# Django and Celery write theirs. Links in mails and feeds point at PORT unless SITE_URL is set.
start: ## Start web, Celery worker and beat without installing or seeding (PORT=8000)
	@mkdir -p $(VAR_DIR)/mail
	@echo "Site:  http://127.0.0.1:$(PORT)/   Admin: http://127.0.0.1:$(PORT)/admin/ (redacteur / zorgenwelzijn)"
	@echo "Mail:  written as .eml files to $(abspath $(VAR_DIR))/mail/ (set EMAIL_URL to send for real)"
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" TZ=Europe/Amsterdam $(BIN)/python -m cms.dev_processes start -f Procfile.dev -p $(PORT) || test $$? -eq 130

# The suite runs in PYTEST_WORKERS processes (pytest-xdist; tests/parallel.py gives each its own
# test database, Redis database and VAR_DIR); PYTEST_WORKERS=0 runs it in this one process.
PYTEST_WORKERS ?= 3
test: install ## Run the whole test suite in 3 processes (service tests skip without DATABASE_URL/REDIS_URL)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Benchmarks for docs/performance.md and docs/reliability.md: each run appends its JSON lines to
# docs/figures/ and redraws the plots in docs/plots/. They need PostgreSQL (BENCH_DATABASE_URL, created
# if missing); bench-send needs root for its two-host run (network namespaces), bench-pages needs wrk.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
BENCH_RUNS ?= 3
BENCH_SIZES ?= 1000 10000 100000
BENCH_FAULT_RECIPIENTS ?= 10000
bench-send bench-pages: export DATABASE_URL = $(BENCH_DATABASE_URL)

bench-send: install ## Sending figures: SMTP at BENCH_SIZES, ESP, two hosts and every fault (an hour or more)
	@mkdir -p docs/figures docs/plots
	psql -q $(dir $(BENCH_DATABASE_URL))postgres -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))" 2>/dev/null || true
	$(BIN)/python manage.py migrate --noinput -v0
	for n in $(BENCH_SIZES); do for run in $$(seq $(BENCH_RUNS)); do \
		$(BIN)/python manage.py bench_send --recipients $$n >> docs/figures/send-smtp.jsonl || exit 1; done; done
	for run in $$(seq $(BENCH_RUNS)); do \
		$(BIN)/python manage.py bench_send --recipients 10000 --transport esp >> docs/figures/send-esp.jsonl || exit 1; \
		$(BIN)/python manage.py bench_send --recipients 10000 --hosts 2 >> docs/figures/send-hosts.jsonl || exit 1; done
	$(BIN)/python manage.py bench_send --recipients $(BENCH_FAULT_RECIPIENTS) --fault all >> docs/figures/send-faults.jsonl
	$(BIN)/python -m campaigns.bench.plots docs/figures docs/plots

bench-pages: install ## Page figures beside bakerydemo (fetched and installed once into ~/.cache) and the deadline rush
	@mkdir -p docs/figures docs/plots
	$(BIN)/python manage.py bench_pages --peer bakerydemo --runs $(BENCH_RUNS) --rush 30 --rush-clients 50 \
		--json-out docs/figures/pages.json
	$(BIN)/python -m cms.bench.plots docs/figures/pages.json docs/plots

check-deploy: install ## Run Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) SUPPRESSION_HASH_KEY=check-deploy \
		ALLOWED_HOSTS=example.org SITE_URL=https://example.org \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean: ## Remove the venv, node_modules and local data (var/)
	rm -rf $(VENV) node_modules var test-output
