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

clean:
	rm -rf var
