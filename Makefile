# SI-PUTRI: `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo server runs with DEBUG on unless told otherwise; tests always run with it off.
RUN_DEBUG = $${DEBUG:-1}

.PHONY: run test install migrate demo lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	DEBUG=$(RUN_DEBUG) $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=$(RUN_DEBUG) $(BIN)/python manage.py load_demo

run: demo
	@echo "SI-PUTRI is at http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	DEBUG=$(RUN_DEBUG) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Indonesian catalogue from the code (needs gettext's xgettext and msgfmt).
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l id --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	DEBUG=1 $(BIN)/python manage.py compilemessages -l id --ignore=.venv

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
