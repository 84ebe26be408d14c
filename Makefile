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

# Regenerate the Vietnamese catalogue after adding strings (needs GNU gettext): translations
# live in locale/sources/*.po and are merged in; anything new shows up untranslated and fails the tests.
messages: setup
	DEBUG=1 $(BIN)/python manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	msgcat --use-first locale/sources/*.po -o var/compendium.po
	msgmerge -q --no-fuzzy-matching --compendium var/compendium.po locale/vi/LC_MESSAGES/django.po \
		locale/vi/LC_MESSAGES/django.po -o locale/vi/LC_MESSAGES/django.po
	msgfmt --check -o locale/vi/LC_MESSAGES/django.mo locale/vi/LC_MESSAGES/django.po

clean:
	rm -rf var
