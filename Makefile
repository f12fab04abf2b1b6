# The README's two commands are `make run` and `make test`; everything they need is
# installed here, so a fresh machine with Python 3.11 needs nothing done by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# The loopback only: the demo accounts' passwords are published. `make run HOST=0.0.0.0`
# listens on every interface (README).
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-deps lint bench clean messages screenshots

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	PORTAL_PORT=$(PORT) $(PY) manage.py seed_network
	$(PY) manage.py stats_demo   # demo audience figures for the admin's reports (once)

## First command: install, create the SQLite database, seed the 20 sites, serve. The task
## worker (newsletters, confirmation mails: docs/tasks.md) runs beside the server and
## stops with it (Ctrl-C, or the server exiting); mail goes to this console.
run: setup
	@echo "Portail national : http://localhost:$(PORT)/  ·  centres : http://<centre>.localhost:$(PORT)/  ·  admin : /admin/"
	@$(PY) manage.py task_worker --worker-id dev --reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	PORTAL_PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

## Browser tests need Debian's Chromium (never a downloaded browser) and axe-core; the
## edge test (tests/test_deploy_edge.py) Debian's nginx with its cache-purge module.
test-deps: $(VENV)/.installed-test
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	@[ -x /usr/sbin/nginx ] && [ -f /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ] || { \
		echo "Installing Debian's nginx and its cache-purge module for the edge test"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
			nginx-core libnginx-mod-http-cache-purge; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

## Lint, format and migrations checked before the suite (CI runs this through `make test`).
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run --settings=portal.settings.test

## Second command: install what tests need, check lint and migrations, run the whole suite.
## Parallel workers: one per core by default (TEST_WORKERS=0 runs in one process).
TEST_WORKERS ?= auto
test: test-deps lint
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

## Interface strings (docs/i18n.md): refresh the English catalogue, then compile it; the
## French one holds the plural strings under French rules ("0 résultat").
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l en --ignore "node_modules/*" --ignore "tests/*" --ignore "bench/*" --ignore "bench-results/*" --ignore "static/*" --ignore "media/*" --ignore ".venv/*"
	$(PY) manage.py compilemessages -l en --ignore "node_modules/*" --ignore ".venv/*"
	$(PY) manage.py makemessages -l fr --ignore "node_modules/*" --ignore "tests/*" --ignore "bench/*" --ignore "bench-results/*" --ignore "static/*" --ignore "media/*" --ignore ".venv/*"
	$(PY) manage.py french_plurals

## The load generator is Debian's wrk (bench/README.md: Python's tops out below the
## peers it is compared with); installed here like Chromium for the tests.
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || { \
		echo "Installing Debian's wrk for the benchmark"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	$(PY) bench/run.py

## Screenshots of the demo at 1280 and 375 px (docs/screenshots/, README): serves the
## seeded database and drives Debian's Chromium (installed by test-deps, never downloaded).
screenshots: setup test-deps
	$(PY) tools/screenshots.py

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media static
