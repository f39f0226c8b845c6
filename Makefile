# Tolpuddle: `make run` sets everything up and serves; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test lint bench format screenshots clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)
	$(BIN)/tolpuddle migrate --verbosity 0
	$(BIN)/tolpuddle demo --if-empty

run: setup
	@$(BIN)/tolpuddle demo_signins --url http://$(HOST):$(PORT)/
	@$(BIN)/tolpuddle worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/tolpuddle runserver $(HOST):$(PORT)

test: $(STAMP) lint
	$(BIN)/pytest
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
	  echo "== the suite again on PostgreSQL =="; \
	  DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/pytest; \
	fi

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/tolpuddle makemigrations --check --dry-run --verbosity 0

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench.run

# PNGs of the main pages in docs/screenshots/, from a small demo union in Chromium.
screenshots: $(STAMP)
	TOLPUDDLE_SCREENSHOTS=docs/screenshots TOLPUDDLE_REQUIRE_BROWSER=1 \
	  $(BIN)/pytest -q tests/screenshots

clean:
	rm -rf $(VENV) var
