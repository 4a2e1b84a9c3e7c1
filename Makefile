# The README's two commands are `make run` and `make test`; CI runs `make ci`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/tilskudd
REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST := $(BIN)/pytest -p no:cacheprovider

.PHONY: install browser run test test-postgres test-worker lint ci bench bench-national bench-pdf bench-export bench-changelist bench-crush bench-letters bench-passwords vendor-bootstrap

$(BIN)/python:
	$(PY) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(INSTALLED)

# The test targets install once, and again when pyproject.toml changes: `make ci` runs three
# of them, and pip took some 20 s each time to find nothing to do.
INSTALLED := $(VENV)/.installed
$(INSTALLED): pyproject.toml | $(BIN)/python
	@$(MAKE) --no-print-directory install

# Debian's Chromium for the browser tests (never `playwright install`), and gettext for the
# translation checks.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v xgettext >/dev/null 2>&1 || { \
	  echo "Installing gettext for the translation checks (makemessages, msgfmt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }

# Embedded default: SQLite, eager Celery, console e-mail, demo data, on 127.0.0.1:8000.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed --demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint:
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# All tests on the embedded default (SQLite), browser tests in Chromium included.
test: $(INSTALLED) browser lint
	$(PYTEST) -n 2 -m "not worker"

# The same suite on PostgreSQL, plus the tests that need row locks. The browser tests run
# once, on SQLite in `make test`: what they prove (pages, keyboard, axe) does not depend on the
# database, and running them twice cost CI a third of its time. So do the some 450 tests that
# ask for no database (`database` is set on the others by tests/conftest.py): pytest-django
# refuses them one, so PostgreSQL cannot change what they find.
test-postgres: $(INSTALLED)
	DATABASE_URL=$(PG_URL) $(PYTEST) -n 2 -m "(database or postgres) and not worker and not e2e"

# Tasks through Redis to a real `celery worker` process (PostgreSQL shared with it).
test-worker: $(INSTALLED)
	DATABASE_URL=$(PG_URL) CELERY_BROKER_URL=$(REDIS_URL) $(PYTEST) -m worker

ci: test test-postgres test-worker

bench: install
	$(BIN)/python bench/run.py

bench-national: install
	$(BIN)/python bench/national.py

# The receipts and the letter, ms a page against a bare one-page WeasyPrint document.
bench-pdf: install
	cd bench && ../$(BIN)/python pdf.py

# The office's Excel export with 1 000 and 4 000 applications: seconds and peak memory.
bench-export: install
	cd bench && ../$(BIN)/python export.py

# The caseworkers' list, 4 000 in an office and 10 000 for a superuser, against the login page.
bench-changelist: install
	cd bench && ../$(BIN)/python changelist.py

# The deadline crush (README, "Deadline benchmark"): gunicorn, PostgreSQL (database
# tilskudd_crush, made afresh), Redis and a worker on both queues; under five minutes.
bench-passwords: install
	$(BIN)/python bench/passwords.py

bench-crush: install
	PG=$(patsubst %/,%,$(dir $(PG_URL))) $(BIN)/python bench/crush.py

# Allocation letters in bulk (README, "Deadline benchmark"): 357 decided cases, the admin's
# action per office, one worker (concurrency 2, celery + documents) on Redis db 14, PostgreSQL
# database tilskudd_letters (made afresh); all ready, none failed or twice, each a PDF.
bench-letters: install
	PG=$(patsubst %/,%,$(dir $(PG_URL))) $(BIN)/python bench/letters.py --redis $(dir $(REDIS_URL))14

vendor-bootstrap:
	cd /tmp && npm pack bootstrap@5.3.9 && tar xzf bootstrap-5.3.9.tgz
	cp /tmp/package/dist/css/bootstrap.min.css* /tmp/package/dist/js/bootstrap.bundle.min.js* \
	   /tmp/package/LICENSE static/vendor/bootstrap/
