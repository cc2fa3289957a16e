# Frontdesk: `make run` serves the demo, `make test` runs every check.
# Both create .venv and install what they need, and are safe to run again.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

# Debian packages Frontdesk itself needs: enchant and the hunspell dictionaries of
# the answer form's spellcheck (spelling/). `make run` and `make test` install them.
RUN_PACKAGES := libenchant-2-2 hunspell-en-us hunspell-de-de hunspell-fr hunspell-es hunspell-ru

# Debian packages the test suite needs: Chromium (and a font) for the browser
# tests of the panel, Dovecot as a real IMAP and POP3 server for the mail tests.
# A PostgreSQL server is seen to by scripts/ensure-postgres.sh.
TEST_PACKAGES := chromium fonts-liberation dovecot-imapd dovecot-pop3d $(RUN_PACKAGES)

# The Redis the worker tests queue tasks through (database 15 by default).
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export TEST_REDIS_URL

# The PostgreSQL pass of `make test`; the test database is test_<name>.
TEST_DATABASE_URL ?= postgres://postgres:postgres@127.0.0.1:5432/frontdesk
export TEST_DATABASE_URL
# Tests whose outcome cannot depend on the database (pages' presentation, the
# browser, parsing; the list is ONE_DATABASE in tests/conftest.py) run once, in
# the SQLite pass. POSTGRES_PASS_ARGS=--every-test runs them on PostgreSQL too.
POSTGRES_PASS_ARGS ?=

.PHONY: help run test check lint messages test-sqlite test-postgres system-packages

help:
	@echo "make run           serve the demo on http://127.0.0.1:8000"
	@echo "make test          lint, type-check, tests on SQLite and PostgreSQL (what CI runs)"
	@echo "make check         lint, type-check and tests on SQLite only"
	@echo "make lint          ruff and mypy only"
	@echo "make messages      update the translation catalogues (de, ru) and compile them"
	@echo "PYTEST_ARGS='-k x' passes arguments to pytest"

run: $(VENV)/.installed
	@bash scripts/ensure-system-packages.sh $(RUN_PACKAGES)
	$(BIN)/frontdesk run --demo

test: $(VENV)/.installed-dev system-packages lint test-sqlite test-postgres

check: lint test-sqlite

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Each app's catalogue in its locale/ (needs GNU gettext): new strings are added
# untranslated, then every catalogue is compiled. tests/test_languages.py fails
# while a customer-facing catalogue has an untranslated or fuzzy entry.
TRANSLATED_APPS := portal kb frontdesk mail panel tickets
messages: $(VENV)/.installed-dev
	@for app in $(TRANSLATED_APPS); do \
	    (cd $$app && DJANGO_SETTINGS_MODULE=frontdesk.settings PYTHONPATH=.. \
	        ../$(BIN)/django-admin makemessages -l de -l ru --no-obsolete); \
	done
	$(BIN)/python manage.py compilemessages --ignore=.venv

system-packages:
	@bash scripts/ensure-system-packages.sh $(TEST_PACKAGES)
	@bash scripts/ensure-redis.sh "$$TEST_REDIS_URL"

# Each database's pass runs the tests in PYTEST_WORKERS processes (pytest-xdist;
# each has its own test database and Redis database); the fault tests, which
# start servers and kill them, all go to one of them, one after another
# (tests/faults/conftest.py). pytest's exit code 5 (no tests collected) fails the
# build like any other. Each pass ends with its 25 slowest tests: where to look
# when the run grows.
PYTEST_WORKERS ?= 2
PYTEST_PASS = $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=25 $(PYTEST_ARGS)

test-sqlite: $(VENV)/.installed-dev
	@echo "== pytest on SQLite"
	env -u DATABASE_URL $(PYTEST_PASS)

test-postgres: $(VENV)/.installed-dev
	@if PYTHON=$(BIN)/python bash scripts/ensure-postgres.sh "$$TEST_DATABASE_URL"; then \
	    echo "== pytest on PostgreSQL"; \
	    DATABASE_URL="$$TEST_DATABASE_URL" $(PYTEST_PASS) $(POSTGRES_PASS_ARGS); \
	elif [[ $${CI:-} =~ ^(true|True|TRUE|1)$$ ]]; then \
	    echo "ERROR: CI=true and no PostgreSQL server is reachable (see above): failing." >&2; \
	    echo "       Set TEST_DATABASE_URL or start the server." >&2; \
	    exit 1; \
	else \
	    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2; \
	    echo "!! WARNING: no PostgreSQL server reachable (see above):               !!" >&2; \
	    echo "!! the PostgreSQL pass was SKIPPED; only SQLite was tested.           !!" >&2; \
	    echo "!! Set TEST_DATABASE_URL to a server whose role may create databases. !!" >&2; \
	    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2; \
	fi

# The virtual environment, and the project installed into it. The stamp files
# live inside .venv, so deleting .venv starts over; a changed pyproject.toml
# makes the stamp stale and the next run reinstalls.
$(BIN)/python:
	@PYTHON="$(PYTHON)" bash scripts/ensure-venv.sh $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e .
	@touch $@

# The dev install is a superset of the plain one: it satisfies `make run` too.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $@ $(VENV)/.installed
