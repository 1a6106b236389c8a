# `make run`: install, migrate, load the demo, serve on http://127.0.0.1:5000 with the
# scheduler and a local SMTP server that prints the demo's mail.
# `make test`: install with the dev extra, lint, type-check, run the suite on SQLite
# and again on a PostgreSQL server that the tests start themselves. The accessibility
# sweep and the browser tests run on the SQLite pass only: they check the rendered pages,
# which are the same on both databases, and are the slowest part of the suite; every
# page and request is also exercised on PostgreSQL through the test client.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
# The checkout runs the development configuration; a deployment runs production.
export FLASK_CONFIG ?= development

.PHONY: install run lint test test-sqlite test-postgresql fuzz clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# axe-core and the Nu HTML checker for the accessibility tests (tests/accessibility/),
# pinned in package-lock.json; Java comes from the system. Without npm the tests say
# they are skipped, except in CI, which must have it.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	elif [ "$$CI" = true ]; then echo "npm not found: required in CI (apt-get install npm)"; exit 1; \
	else echo "npm not found: the accessibility tests will be skipped (apt-get install npm)"; fi

install: $(VENV)/.installed node_modules/.installed
	$(BIN)/pybabel compile --statistics -d certtrack/translations

# Beside the web server: the scheduler (reminders, the outbox) and a local SMTP server
# on 127.0.0.1:8025 that writes every message the demo sends to instance/mail.log, so
# the demo logins (also kept in instance/demo-logins.txt) stay on screen. Ctrl-C stops
# all three.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo >instance/demo-logins.txt && cat instance/demo-logins.txt
	@echo "Demo logins: instance/demo-logins.txt; the demo's mail: instance/mail.log"
	@$(BIN)/python -m aiosmtpd -n -l 127.0.0.1:8025 >>instance/mail.log 2>&1 & smtp=$$!; \
	$(BIN)/flask scheduler run & scheduler=$$!; \
	trap 'kill $$smtp $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with its own database
# (and its own PostgreSQL server), so the whole run stays short on a 2-core machine.
TEST_WORKERS ?= 2

test-sqlite: install
	CERTTRACK_TEST_DB=sqlite $(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=15

test-postgresql: install
	CERTTRACK_TEST_DB=postgresql $(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=15 \
		-m 'not accessibility and not browser'

test: lint test-sqlite test-postgresql

# Optional, slower: fresh random requests against every API operation (SQLite).
fuzz: install
	API_FUZZ_EXAMPLES=$${EXAMPLES:-300} CERTTRACK_TEST_DB=sqlite $(BIN)/python -m pytest tests/api/test_openapi.py

# Refresh the catalogs after changing user-facing text; translate, then `make install`.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o certtrack/translations/messages.pot certtrack
	$(BIN)/pybabel update -i certtrack/translations/messages.pot -d certtrack/translations

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache .mypy_cache .ruff_cache
