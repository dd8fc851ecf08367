# Two commands matter: `make dev` and `make test`. Both stand on `make setup`,
# which is idempotent: it only redoes a step whose inputs changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UGLYMUGS := $(BIN)/uglymugs
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup dev test lint browser catalogues i18n bench clean

setup: $(VENV)/.installed node_modules/.installed catalogues

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compile the gettext catalogues (the .po files are the source; .mo files are built).
catalogues: $(VENV)/.installed
	$(UGLYMUGS) i18n compile

# After changing any visible string: extract the messages into every language's
# catalogue, compile them, and list what still needs translating.
i18n: $(VENV)/.installed
	$(UGLYMUGS) i18n extract
	$(UGLYMUGS) i18n compile
	$(UGLYMUGS) i18n check

dev: setup
	$(UGLYMUGS) dev

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser: $(CHROMIUM)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup browser lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache build site/output site/themes/uglymugs/static/js/dist
