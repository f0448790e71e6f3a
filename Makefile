# SI-PUTRI: `make run` sets everything up and serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes for the non-browser tests (pytest-xdist; each gets its own test database).
TEST_WORKERS ?= auto

# Awkward instants (Asia/Jakarta) the date-sensitive tests must also pass at: the first half hour
# of a year (still the old year in UTC), a leap day, the last minutes of a semester and of a year.
# Two of them are in other years than the suite's own 2026, so "another year" is covered too.
AWKWARD_DATES ?= 2027-01-01T00:30:00+07:00 2028-02-29T12:00:00+07:00 2026-06-30T23:45:00+07:00 \
	2026-12-31T23:59:00+07:00
# Test modules that read the date or the clock (found afresh each run, so new ones are included;
# the access matrix only checks who may see what; the survey-limit tests set their own instant).
DATE_TESTS = $$(grep -rlE 'localdate|timezone\.now|current_semester|last_semester|year_window|clock\b|today' \
	--include='test_*.py' accounts agencies standards surveys evaluations reports api demo siputri outbox operations tests \
	| grep -v -e /browser/ -e test_access_matrix -e test_suspicion)

.PHONY: run test test-dates install env migrate demo backup lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt constraints.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# axe-core, for the accessibility tests (tests/browser/test_accessibility.py), from npm.
AXE_VERSION := 4.14.1
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
$(AXE): $(BIN)/python
	npm install --prefix $(VENV)/axe --no-audit --no-fund --no-save --silent axe-core@$(AXE_VERSION)

install: $(VENV)/.installed $(AXE)

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

# Two stages: every non-browser test spread over TEST_WORKERS processes, then the browser tests
# in one process (they share one Chromium and each drives a live server).
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser"
	$(BIN)/pytest -m browser

# The date-sensitive tests at each awkward instant (the suite itself runs at a fixed one).
test-dates: install
	@for when in $(AWKWARD_DATES); do \
		echo "== tests at $$when"; \
		SIPUTRI_TEST_NOW=$$when $(BIN)/pytest -q -n $(TEST_WORKERS) -m "not browser" $(DATE_TESTS) || exit 1; \
	done

# A copy of the database (DATABASE_URL, or the SQLite file) in var/backups/; see README for the restore.
backup: install
	$(BIN)/python manage.py backup

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
	$(BIN)/python bench/province.py

clean:
	rm -rf $(VENV) var
