# Two commands for a new machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test setup demo messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

run: setup
	PORT=$(PORT) BIN=$(BIN) ./scripts/run.sh

demo: setup
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py demo_load --reset

test: setup
	$(BIN)/python -m pytest

# Rebuild the Vietnamese catalogue after adding strings (needs GNU gettext); translations live
# in locale/sources/*.po, and anything new fails tests/test_translations.py until it is added there.
messages: setup
	BIN=$(BIN) ./scripts/messages.sh

# Benchmarks of issue 7 on PostgreSQL (not tests; `make test` never runs them): synthetic data at
# SCALE=commune|province|national (national by default, generated once and kept), every benchmark,
# bench/results/*.json and bench/results/summary.md. The database is BENCH_DATABASE_URL, else
# DATABASE_URL's server with the database sauro_bench, else postgres://postgres@127.0.0.1:5432/sauro_bench.
SCALE ?= national
bench: setup
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/run.py --scale $(SCALE)

clean:
	rm -rf var
