# Two commands matter: `make dev` and `make test`. Both stand on `make setup`,
# which is idempotent: it only redoes a step whose inputs changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UGLYMUGS := $(BIN)/uglymugs
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# uv itself, pinned by hash, in a small virtualenv of its own; it installs the lock.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_RUN := UV_PROJECT_ENVIRONMENT=$(VENV) $(UV)
LAYER_REQUIREMENTS := infra/layers/dependencies/requirements.txt
# The Lambda runtime has these; the functions import them lazily.
RUNTIME_PROVIDED := boto3 botocore s3transfer jmespath urllib3 python-dateutil six

.PHONY: setup dev test lint typecheck doctest browser catalogues i18n bench clean lock

setup: $(VENV)/.installed $(VENV)/.pango node_modules/.installed catalogues

$(UV): requirements-uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --no-deps --require-hashes -r requirements-uv.txt
	touch $@

# Exactly what uv.lock says: every package, direct and indirect, pinned with hashes.
$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV_RUN) sync --locked --python $(PYTHON) --extra staff --group dev
	touch $@

# WeasyPrint (the funders' PDF, `uglymugs figures --pdf`) needs Debian's pango, and a
# Chinese font for the report in zh-Hans (without one its characters print as boxes).
$(VENV)/.pango: $(VENV)/.installed
	$(BIN)/python -c "import weasyprint" 2>/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	$(BIN)/python -c "import weasyprint"
	fc-list :lang=zh | grep -q . || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-wqy-microhei; } || \
		echo "warning: no Chinese font could be installed; zh-Hans PDFs will print boxes"
	touch $@

# Refresh the lock after changing pyproject.toml, and the Lambda layer's requirements
# from it (the layer ships the functions' dependencies, less what the runtime has).
lock: $(UV)
	$(UV_RUN) lock --python $(PYTHON)
	$(PYTHON) scripts/uv_requirements.py
	$(UV_RUN) export --locked --no-dev --no-emit-project --format requirements-txt \
		$(addprefix --no-emit-package ,$(RUNTIME_PROVIDED)) --output-file $(LAYER_REQUIREMENTS) --quiet

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

# pyright (from npm, pinned by package-lock.json) over src/ and functions/: see
# pyrightconfig.json and README's "Type checks".
typecheck: setup
	npx --no-install pyright

# The docstring examples run in a process of their own: importing every module for
# them must not change what the test suite's modules see (Pelican's logging set-up).
doctest: setup
	$(BIN)/pytest --doctest-modules src -q -p no:cacheprovider --import-mode=importlib

test: setup browser lint typecheck doctest
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(TOOLS) node_modules .pytest_cache .ruff_cache build site/output site/themes/uglymugs/static/js/dist
