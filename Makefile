# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/congress)

.PHONY: run test lint format bench setup migrate demo clean messages schema backup restore screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)." % sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	@mkdir -p var
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input

demo: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

run: demo
	@echo ""
	@echo "Serving at http://127.0.0.1:$${WEB_PORT:-8000}/  (console: /console/, API docs: /api/docs/) — Ctrl-C stops everything."
	PATH=$(abspath $(VENV))/bin:$$PATH DEBUG=$${DEBUG:-1} $(VENV)/bin/honcho start -f Procfile

AXE := tests/browser/axe/node_modules/axe-core/axe.min.js

# The accessibility check's axe-core, from the npm registry; without npm that one test is skipped.
$(AXE): tests/browser/axe/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser/axe --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility check will be skipped"; fi

test: setup $(AXE)
	@DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/check_postgres.py
	DATABASE_URL=$(TEST_DATABASE_URL) DEBUG=1 $(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: setup
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-obsolete --add-location file -i "tests/browser/axe/*"
	$(PY) scripts/compile_messages.py

# The README's screenshots, over the demo data (needs Debian's Chromium, as the browser tests).
screenshots: demo
	DEBUG=$${DEBUG:-1} $(PY) scripts/screenshots.py

schema: setup
	DATABASE_URL=$(TEST_DATABASE_URL) DEBUG=1 $(PY) scripts/api_schema.py

bench: setup
	@DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/check_postgres.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m bench

# A backup of the DATABASE_URL database into var/backups (KEEP=N: keep only the newest N); see README "Backups".
backup: setup
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/backup.py backup $(if $(KEEP),--keep $(KEEP))

# Into an empty database; FORCE=1 replaces the contents of a non-empty one.
restore: setup
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/<name>.dump [FORCE=1]" >&2; exit 2; }
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) scripts/backup.py restore "$(FILE)" $(if $(FORCE),--clean)

# Keeps var/backups.
clean:
	rm -rf $(VENV) $(filter-out var/backups,$(wildcard var/*))
