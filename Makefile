# SI-PUTRI: `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install env migrate demo lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

# Development settings (DEBUG on unless DEBUG=0, a SECRET_KEY kept across runs, SITE_URL from
# HOST and PORT unless set) go to .env, which every manage.py command then reads by itself.
# Tests always run with DEBUG off and ignore the file.
env: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m siputri.devenv

migrate: env
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "SI-PUTRI listens on $(HOST):$(PORT) (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

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
