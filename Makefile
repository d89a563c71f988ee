# Two commands on a fresh machine: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
INSTALLED := $(VENV)/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard src/globaldialogue/locale/*/LC_MESSAGES/django.po))
SRC := src/globaldialogue

.PHONY: install demo serve test test-fast lint format lock bench messages clean

install: $(INSTALLED) $(CATALOGS)

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

%.mo: %.po $(INSTALLED)
	$(BIN)/python -m globaldialogue.lib.compile_translations

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# Loads the demo (safe to re-run) and serves it with its background worker.
demo: install
	GLOBALDIALOGUE_DEBUG=1 $(BIN)/globaldialogue demo
	GLOBALDIALOGUE_DEBUG=1 $(BIN)/globaldialogue serve --port $(PORT)

serve: install
	$(BIN)/globaldialogue serve --port $(PORT)

# Browser tests need npm's axe-core; without npm they are skipped (conftest.py says how to run them).
test: install
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node_modules/.installed; fi
	$(BIN)/pytest

# Everything but the browser and real-server tests.
test-fast: install
	$(BIN)/pytest -m "not browser and not server"

lint: install
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	SECRET_KEY=lint-only $(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

lock: $(INSTALLED)
	$(BIN)/pip-compile --quiet --strip-extras --no-header --output-file requirements.lock requirements.in

# Re-extract interface text after changing templates or messages (needs GNU gettext).
messages: install
	cd $(SRC) && SECRET_KEY=x ../../$(BIN)/django-admin makemessages --settings=globaldialogue.settings \
	  -l ar -l zh_Hans -l fr -l ru -l es -i "*/tests/*" -i testing.py --no-location

bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules var/test
