# Two commands do all set-up on a fresh machine with Python 3.11 and Node.js 20:
#   make run    installs, migrates, loads reference and demo data, serves on 127.0.0.1:5000
#   make test   installs the development tools and Chromium, then runs the whole suite
# Set DATABASE_URL to use PostgreSQL instead of the SQLite file under instance/.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app grants
HOST ?= 127.0.0.1
PORT ?= 5000
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not e2e"'
PYTEST_ARGS ?=
# Test processes side by side (pytest-xdist): one a core by default; 0 runs them in this one.
PYTEST_WORKERS ?= auto
# Property-based tests run a fixed set of examples, so the suite answers the same every time;
# HYPOTHESIS_PROFILE=dev (or thorough) draws new random ones to look for more.
HYPOTHESIS_PROFILE ?= ci
export HYPOTHESIS_PROFILE
CHROMIUM ?= /usr/bin/chromium
# Compiled modules (and pytest's rewritten test modules) are kept in __pycache__/ at the top,
# which ignores itself, even where the environment asks for none (PYTHONDONTWRITEBYTECODE):
# compiling every module again costs each test process of each run ten seconds and more.
# (So pip need not compile what it installs: Python looks for compiled modules only here.)
export PYTHONPYCACHEPREFIX := $(CURDIR)/__pycache__
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install install-dev assets chromium pango lint db clean

run: install assets db translations
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) run --debug --host $(HOST) --port $(PORT)

# Set-up steps side by side (Python packages, the front-end build, Chromium), then the checks.
test:
	@$(MAKE) --no-print-directory --jobs=3 --output-sync=target install-dev assets chromium
	@$(MAKE) --no-print-directory translations
	@mkdir -p __pycache__ && echo '*' > __pycache__/.gitignore
	@$(MAKE) --no-print-directory lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

db: install
	$(FLASK) db upgrade
	$(FLASK) seed-reference
	$(FLASK) seed-demo

# import-linter must see every module of grants/: a folder without __init__.py hides its own.
# Linted once for a given set of sources: the second `make test` of CI (on PostgreSQL) skips it.
lint: $(VENV)/.linted
$(VENV)/.linted: $(VENV)/.installed-dev config.py pyproject.toml \
		$(shell find grants tests $(wildcard bench) -name '*.py' -not -path 'grants/static/*')
	$(BIN)/ruff check grants tests config.py $(wildcard bench)
	@$(BIN)/lint-imports --no-cache > $(VENV)/lint-imports.log; status=$$?; cat $(VENV)/lint-imports.log; \
	[ $$status = 0 ] || exit $$status; \
	analysed=$$(sed -n 's/^Analyzed \([0-9]*\) files.*/\1/p' $(VENV)/lint-imports.log); \
	modules=$$(find grants -name '*.py' -not -path 'grants/static/*' | wc -l); \
	echo "import-linter analysed $$analysed modules of the $$modules in grants/"; \
	[ "$$analysed" = "$$modules" ] || { echo "import-linter did not see every module of grants/"; exit 1; }
	@touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# Build and tool directories ignore themselves, so the top level stays as tracked.
	@mkdir -p __pycache__ instance
	@for dir in $(VENV) __pycache__ instance; do echo '*' > $$dir/.gitignore; done

install: pango $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --no-compile -e .
	@echo '*' > grants.egg-info/.gitignore
	touch $@

install-dev: pango $(VENV)/.installed-dev
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --no-compile -e '.[dev]'
	@echo '*' > grants.egg-info/.gitignore
	touch $(VENV)/.installed $@

# The Welsh catalogue compiled for the pages (grants/translations/*/LC_MESSAGES/messages.mo, not
# tracked), again whenever its .po changes. Without it the service speaks English only.
translations: $(patsubst %.po,%.mo,$(wildcard grants/translations/*/LC_MESSAGES/messages.po))
grants/translations/%.mo: grants/translations/%.po
	$(BIN)/pybabel compile -d grants/translations

# GOV.UK Frontend with the OPCC's brand, compiled into grants/static/ (not tracked).
assets: grants/static/.built
grants/static/.built: package.json package-lock.json $(shell find grants/assets -type f 2>/dev/null)
	npm ci --no-audit --no-fund --loglevel=error
	@echo '*' > node_modules/.gitignore
	npm run build
	touch $@

# Browser tests drive Debian's Chromium; Playwright's own browser download is never used.
# (After Pango: one apt-get at a time.)
chromium: pango
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium. Install it with:  sudo apt-get install -y chromium"; \
		exit 1; \
	fi

# WeasyPrint (an application as a PDF) draws text with Pango, a system library.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
pango:
	@if $(PYTHON) -c "import ctypes.util, sys; sys.exit(not ctypes.util.find_library('pangoft2-1.0'))"; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Pango for the PDF documents"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null; \
	else \
		echo "PDF documents need Pango. Install it with:  sudo apt-get install -y $(PANGO_PACKAGES)"; \
		exit 1; \
	fi

clean:
	rm -rf $(VENV) node_modules grants/static grants.egg-info instance/test.sqlite
