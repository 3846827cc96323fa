# Briefs CMS: `make run` serves the site with the seed archive, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: run test install lint format check-python clean

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_archive
	@$(PY) manage.py local_admin
	$(PY) manage.py runserver 127.0.0.1:8000

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
