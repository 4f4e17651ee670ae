# Two commands: `make run` serves the embedded default (SQLite + Whoosh) on
# http://127.0.0.1:8000; `make test` runs every test. Both create .venv with
# Python 3.11 if it is missing and reinstall only when a requirements file changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
SYSADMIN ?= admin
PYTEST_ARGS ?= -n 2

# Data (SQLite file, Whoosh index, the generated secret) lives in CKAN_VAR_DIR.
export CKAN_VAR_DIR ?= $(CURDIR)/var

SECRET_FILE := $(CKAN_VAR_DIR)/secret_key
# A local SECRET_KEY, generated once and kept under CKAN_VAR_DIR, unless one is set.
WITH_SECRET = export SECRET_KEY="$${SECRET_KEY:-$$(cat "$(SECRET_FILE)")}";

.PHONY: run test fuzz venv demo reset bench profile clean mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamp files: pip runs again only when a requirements file is newer.
$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-test.txt
	touch $@ $(VENV)/.run-installed

venv: $(VENV)/.run-installed

# Secrets and data under CKAN_VAR_DIR are readable by their owner only (umask 077).
$(SECRET_FILE): | $(BIN)/python
	@umask 077; mkdir -p "$(CKAN_VAR_DIR)"
	@umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$@"

run: $(VENV)/.run-installed $(SECRET_FILE)
	@umask 077; test -s "$(CKAN_VAR_DIR)/sysadmin_password" || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(12))' > "$(CKAN_VAR_DIR)/sysadmin_password"
	@set -e; umask 077; $(WITH_SECRET) \
	export CKAN_SITE_URL="$${CKAN_SITE_URL:-http://$(HOST):$(PORT)}"; \
	password="$$(cat "$(CKAN_VAR_DIR)/sysadmin_password")"; \
	$(BIN)/python manage.py migrate --noinput -v 0; \
	key="$$($(BIN)/python manage.py create_sysadmin "$(SYSADMIN)" --password "$$password" | tail -n 1)"; \
	echo ""; \
	echo "  ckansite on http://$(HOST):$(PORT)/   (data in $(CKAN_VAR_DIR))"; \
	echo "  sysadmin:  $(SYSADMIN)   password: $$password   (log in at /user/login or /admin/)"; \
	echo "  API key:   $$key"; \
	echo "  try:       curl -d '{}' http://$(HOST):$(PORT)/api/action/site_read"; \
	echo ""; \
	exec $(BIN)/gunicorn ckansite.wsgi:application --config gunicorn.conf.py --bind "$(HOST):$(PORT)" --workers "$(WORKERS)" --access-logfile - --no-control-socket

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# schemathesis against /api/openapi.json on a throwaway server: no request may get a 5xx.
fuzz: $(VENV)/.test-installed
	PYTHON=$(BIN)/python scripts/fuzz.sh

# Mutation testing of the permission rules (not in CI: hours on 2 cores). First every auth function
# replaced, one at a time, by one that always allows (scripts/mutate_auth.py, ~30 min), then mutmut's
# finer mutants of catalog/logic/auth/, catalog/authz.py and searchapi/auth.py against the tests
# setup.cfg names; `make mutate MUTANTS='catalog.logic.auth.delete.*'` runs only some.
MUTATE_JOBS ?= 1
MUTANTS ?=
mutate: $(VENV)/.test-installed
	$(BIN)/python scripts/mutate_auth.py
	$(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(MUTANTS)
	$(BIN)/mutmut results

# Loads a realistic demo catalog into the `make run` database (through the actions).
# Safe to run again: what exists is kept, only what is missing is added.
demo: $(VENV)/.run-installed $(SECRET_FILE)
	@set -e; $(WITH_SECRET) \
	$(BIN)/python manage.py migrate --noinput -v 0; \
	$(BIN)/python manage.py load_demo_data

# Starts again from nothing: removes the embedded catalog (the SQLite file and the
# Whoosh index under CKAN_VAR_DIR), keeping the secret key and the sysadmin's password.
# A PostgreSQL database or a Solr core (DATABASE_URL, SEARCH_URL) is left alone.
reset:
	@if [ -n "$$DATABASE_URL$$SEARCH_URL" ]; then \
	  echo "make reset removes only the embedded SQLite file and Whoosh index in $(CKAN_VAR_DIR);"; \
	  echo "DATABASE_URL or SEARCH_URL is set: drop that database and clear that core yourself (README: Starting again)."; \
	  exit 1; fi
	rm -rf "$(CKAN_VAR_DIR)/ckansite.sqlite3" "$(CKAN_VAR_DIR)/ckansite.sqlite3-wal" "$(CKAN_VAR_DIR)/ckansite.sqlite3-shm" \
	  "$(CKAN_VAR_DIR)/whoosh_index"
	@echo "Removed the catalog in $(CKAN_VAR_DIR): make run starts an empty site again (same sysadmin password), make demo refills it."

# The shared CKAN benchmark against gunicorn on a fresh database (see bench/run.sh).
bench: $(VENV)/.test-installed
	bash bench/run.sh

# One Action API call under pyinstrument, against the `make run` data (or DATABASE_URL/SEARCH_URL):
#   make profile OP=package_search ARGS='{"q": "water", "facet.field": ["tags"]}' CALLS=200
# Prints per-call time and the SQL of one call; the HTML report goes to var/profile/.
OP ?= package_list
ARGS ?= {}
CALLS ?= 100
profile: $(VENV)/.test-installed $(SECRET_FILE)
	@$(WITH_SECRET) $(BIN)/python manage.py profile_action "$(OP)" '$(ARGS)' -n "$(CALLS)"

clean:
	rm -rf $(VENV)
