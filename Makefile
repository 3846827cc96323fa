# Briefs CMS: `make run` serves the site with the seed archive, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run serve worker bench bench-two-servers load-faults test install lint format check-python clean

# Local development: DEBUG on (it is off unless set).
RUN_ENV = DEBUG=true

run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_archive
	$(RUN_ENV) $(PY) manage.py reindex --if-needed
	$(RUN_ENV) $(PY) manage.py make_renditions
	@$(RUN_ENV) $(PY) manage.py local_admin
	@# A worker beside the site makes image sizes and runs large imports; both stop on Ctrl+C.
	$(RUN_ENV) $(PY) manage.py worker --worker-id local-worker --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Background jobs (image sizes, large imports, backups) only, for a site served some other way.
worker: install
	$(RUN_ENV) $(PY) manage.py worker

# As in production: gunicorn, DEBUG off, static files collected and compressed; but on
# 127.0.0.1:8000 over plain http, so the https switches are off here: no redirect to
# https, no HSTS, cookies not marked https-only.
SERVE_ENV = DEBUG=false SECRET_KEY="$$(cat .secret-key)" \
  SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SECURE_COOKIES=false

serve: install .secret-key
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py seed_archive
	$(SERVE_ENV) $(PY) manage.py reindex --if-needed
	$(SERVE_ENV) $(PY) manage.py make_renditions
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving with gunicorn on http://127.0.0.1:8000/ (DEBUG off; plain http on loopback:"
	@echo "https redirect, HSTS and https-only cookies switched off)"
	$(SERVE_ENV) $(PY) manage.py worker --worker-id serve-worker --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(SERVE_ENV) $(VENV)/bin/gunicorn -c briefs_cms/gunicorn.py briefs_cms.wsgi

.secret-key:
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret-key

# Builds archives of 100 and 10,000 issues on PostgreSQL, loads them with wrk and writes
# bench/RESULTS.md. Needs PostgreSQL and Redis on 127.0.0.1 and Debian's wrk.
bench: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null \
	  || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/run.py

# The same pages through two app servers (sharing PostgreSQL and Redis) against one;
# writes bench/TWO_SERVERS.md. Needs PostgreSQL and Redis on 127.0.0.1 and Debian's wrk.
bench-two-servers: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null \
	  || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/two_servers.py

# Two minutes of load on gunicorn while an editor saves every second, a worker is killed
# and PostgreSQL (a cluster of its own, in a temporary folder) restarted; writes
# bench/LOAD_FAULTS.md. Needs PostgreSQL's binaries, Redis on 127.0.0.1 and Debian's wrk.
load-faults: install
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null \
	  || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) bench/load_faults.py

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

install: $(INSTALLED)

$(INSTALLED): pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
	  echo "Briefs CMS needs Python 3.12 or newer, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.12+ (with pyenv, the .python-version file selects 3.13),"; \
	  echo "or name one explicitly: make PYTHON=python3.13 run"; \
	  exit 1; }

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
