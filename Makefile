# Podium — the only way in. `make run` starts Podium; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/venv/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
PODIUM := $(VENV)/bin/podium
WEB := apps/web
PODIUM_HOST ?= 127.0.0.1
PODIUM_PORT ?= 8000
export PODIUM_HOST PODIUM_PORT
# extras installed for local use and tests (catboost stays opt-in: `make EXTRAS=... run`)
EXTRAS ?= --extra boost --extra dask --extra postgres --extra onnx --extra anomaly

.PHONY: help run dev test lint typecheck contracts pytest webtest e2e bench install web chromium clean openapi screenshots

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# --- installation (each step is skipped when already done) ------------------------------------

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "Podium needs Python >= 3.11 (found: $$($(PYTHON) --version 2>&1))."; \
	  echo "Install one (e.g. 'apt-get install python3.11' or pyenv) and run: make PYTHON=python3.11 run"; exit 1; }
	@$(PYTHON) -m venv $(TOOLS)/venv
	@$(TOOLS)/venv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	@$(UV) sync --frozen --compile-bytecode $(EXTRAS) --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced ## install Python and web dependencies (locked)

$(WEB)/node_modules/.installed: $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "Podium's web app needs Node.js >= 20 with npm (apt-get install nodejs npm, or https://nodejs.org)."; exit 1; }
	@cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB)/dist/index.html: $(WEB)/node_modules/.installed $(shell find $(WEB)/src $(WEB)/index.html $(WEB)/vite.config.ts -type f 2>/dev/null)
	@cd $(WEB) && npm run --silent build

web: $(WEB)/dist/index.html ## build the web app

# --- running ----------------------------------------------------------------------------------

run: $(VENV)/.synced web ## install what is missing, build, migrate, start Podium at http://127.0.0.1:8000
	@$(PODIUM) serve --check-port
	@exec $(PODIUM) serve

dev: $(VENV)/.synced $(WEB)/node_modules/.installed ## API with reload + Vite dev server (proxying /api and the WebSocket)
	@trap 'kill 0' EXIT; $(PODIUM) serve --reload & (cd $(WEB) && npm run dev) & wait

# --- checks -----------------------------------------------------------------------------------

lint: $(VENV)/.synced $(WEB)/node_modules/.installed ## ruff, mypy, import contracts, tsc, ESLint
	$(VENV)/bin/ruff check podium tests bench
	$(VENV)/bin/ruff format --check podium tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	cd $(WEB) && npm run --silent typecheck && npm run --silent lint

pytest: $(VENV)/.synced ## engine, server and worker tests (SQLite; PostgreSQL when reachable)
	$(VENV)/bin/pytest -m "not e2e" -n 2 --dist loadgroup

webtest: $(WEB)/node_modules/.installed ## Vitest
	cd $(WEB) && npm run --silent test

chromium:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

e2e: $(VENV)/.synced web chromium ## browser end-to-end tests (Playwright + Debian chromium)
	$(VENV)/bin/pytest -m e2e tests/e2e

test: lint pytest webtest e2e ## everything: lint, types, contracts, pytest, Vitest, browser tests

bench: $(VENV)/.synced ## benchmarks against the anchors (see bench/README.md)
	$(PY) -m bench

openapi: $(VENV)/.synced $(WEB)/node_modules/.installed ## regenerate the web client's types from the server's OpenAPI
	$(PODIUM) openapi > $(WEB)/openapi.json
	cd $(WEB) && npm run --silent gen:api

screenshots: $(VENV)/.synced web chromium ## regenerate the README screenshots
	$(PY) tests/e2e/screenshots.py

clean: ## remove installed environments and build output (keeps .podium data)
	rm -rf $(VENV) $(TOOLS) $(WEB)/node_modules $(WEB)/dist
