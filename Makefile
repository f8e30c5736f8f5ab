# The two commands of the quick start, and the checks they rely on. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup run test lint format clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) ## Create the virtualenv and install the register with its development tools

run: $(STAMP) ## Set up, migrate, load the demo city and serve it at http://127.0.0.1:8000
	$(BIN)/register demo --host $(HOST) --port $(PORT)

lint: $(STAMP) ## ruff (lint and format check) and strict mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) lint ## Set up, lint, and run the whole test suite (SQLite, and PostgreSQL when reachable)
	$(BIN)/python -m pytest -n auto --dist loadgroup

format: $(STAMP) ## Rewrite the code in the project's format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the virtualenv, caches and the local demo database
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache data
