# Jalin: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export SITE_URL ?= http://127.0.0.1:$(PORT)
export DJANGO_SETTINGS_MODULE := jalin.settings

.PHONY: setup run test lint format messages bench bench-quick clean docs-documents

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Virtualenv, pinned dependencies, migrations, reference data. Idempotent.
setup: $(VENV)/.installed
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_reference_data

# The local development environment that manage.py reads (DEBUG=1, a generated development
# key); production refuses that key (jalin/settings.py). Written once, never overwritten.
.env:
	@printf '# Written by `make run` for local development; production refuses these values.\nDEBUG=1\nSECRET_KEY=django-insecure-%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))')" > $@
	@echo "Wrote .env (DEBUG=1, a development key) for manage.py."

# Demo government and logins, then the web server and the background worker.
run: setup .env
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@echo "Jalin: http://127.0.0.1:$(PORT)/  (Ctrl+C stops the server and the worker)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py run_huey --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: unit, integration and browser tests. System packages the suite needs
# (Chromium, nginx, Tesseract...) are installed first when missing and we may (root on Debian).
test: setup
	bash tests/system-packages.sh
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key} $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var

# Collect translatable strings (needs gettext), then compile after translating.
# The project catalogue is locale/; an app with its own jalin/<app>/locale/ keeps its
# strings (Python and its templates/ folder) in that catalogue instead.
APP_LOCALES := $(wildcard jalin/*/locale)
MAKEMESSAGES := makemessages -l id --no-location --no-wrap --no-obsolete
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py $(MAKEMESSAGES) --ignore=.venv --ignore=tests --ignore=var --ignore=bench \
		$(foreach d,$(APP_LOCALES),--ignore=$(patsubst %/locale,%,$(d)))
	for d in $(patsubst %/locale,%,$(APP_LOCALES)); do \
		(cd $$d && DEBUG=1 PYTHONPATH=$(CURDIR) $(CURDIR)/$(PY) $(CURDIR)/manage.py $(MAKEMESSAGES)) || exit 1; \
	done
	DEBUG=1 $(PY) manage.py compilemessages -l id --ignore=.venv

# Benchmarks (PostgreSQL + wrk; see bench/README.md). Not part of `make test`.
bench: $(VENV)/.installed
	$(PY) bench/run.py

bench-quick: $(VENV)/.installed
	$(PY) bench/run.py --quick

# Pictures of every generated document for docs/reports.md, from the real output on a
# throw-away demo database (needs LibreOffice and poppler-utils).
DOCS_DB := var/docs-documents.sqlite3
docs-documents: $(VENV)/.installed
	mkdir -p var && rm -f $(DOCS_DB)
	DATABASE_URL=sqlite:///$(CURDIR)/$(DOCS_DB) DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=sqlite:///$(CURDIR)/$(DOCS_DB) DEBUG=1 $(PY) manage.py load_reference_data -v0
	DATABASE_URL=sqlite:///$(CURDIR)/$(DOCS_DB) DEBUG=1 $(PY) manage.py seed_demo > /dev/null
	DATABASE_URL=sqlite:///$(CURDIR)/$(DOCS_DB) DEBUG=1 $(PY) docs/build_document_pages.py
	rm -f $(DOCS_DB)
