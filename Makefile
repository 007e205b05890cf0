# The two commands: `make run` and `make test`. Needs only Python 3.11+ and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test test-fast setup test-setup translations migrate load lint format extract clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml Makefile | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	# pycanon checks k-anonymity in the tests. Every 1.3 release pins exact versions of pandas,
	# numpy and pyreadstat (older than ours): installed without them, it runs on ours.
	$(BIN)/pip install --quiet --no-deps 'pycanon>=1.3,<2'
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed translations

test-setup: $(VENV)/.installed-test translations

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d translations

migrate: setup
	$(BIN)/flask db upgrade

load: migrate
	$(BIN)/flask territory load
	$(BIN)/flask surveys load

run: load
	APP_ENV=$${APP_ENV:-development} $(BIN)/gunicorn -c python:app.gunicorn_conf wsgi:app

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the catalogs after changing visible strings, then translate the new entries.
extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -o translations/messages.pot \
		--no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete

# SQLite first (the embedded default), then PostgreSQL and Redis when TEST_DATABASE_URL is set.
test: test-setup lint
	$(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		TEST_DB_BACKEND=postgresql $(BIN)/pytest -m "not browser"; \
	fi

# The edit–test loop: the suite without the browser tests and without ruff, on SQLite
# (`make test` still runs everything).
test-fast: test-setup
	$(BIN)/pytest -m "not browser" -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find translations -name '*.mo' -delete
