# Resistance Zone. Two commands a newcomer needs:
#   make run    set up and serve the demo on http://127.0.0.1:8000 (SQLite, demo data)
#   make test   set up and run every test (PostgreSQL; see README)
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test bench messages check-python clean

help:
	@echo "make run    - set up and serve the demo on http://$(HOST):$(PORT)"
	@echo "make test   - set up and run every test against PostgreSQL"
	@echo "make bench  - run the benchmarks (speed and memory targets)"

# Stop early, with a clear message, when no Python 3.12+ is to be found.
check-python:
	@bin/find-python >/dev/null

$(PY):
	@$(MAKE) --no-print-directory check-python
	"$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps: reinstall only when a requirements file changes.
$(VENV)/.installed-run: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

# The demo: DEBUG on, the embedded SQLite file, demo data, real gunicorn,
# and the worker that sends messages (printed by console://, no numbers).
# Links printed and emailed point at the port actually served. The access
# log's format (gunicorn.conf.py) leaves out query strings: a trainer's
# roster search (?q=) is a name.
run: export DEBUG ?= true
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with the message worker beside it (Ctrl-C stops both)"
	@bin/serve-with-worker $(BIN) $(HOST) $(PORT)

# Every test, on PostgreSQL (bin/test-database falls back to SQLite loudly
# outside CI). Real-browser tests need Debian's chromium: installed here when
# missing.
# Two processes by default (TEST_PROCESSES=1 for one), one file to a
# process: the machines here have two cores, and much of a run waits on
# Chromium, gunicorn and subprocess workers.
TEST_PROCESSES ?= 2
test: $(VENV)/.installed-dev
	@bin/ensure-debian-package /usr/bin/chromium chromium
	@url=$$($(PY) bin/test-database) || exit 1; \
	  DATABASE_URL="$$url" $(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

# The unit benchmarks, then the launch-day load (wrk against production
# gunicorn; see docs/performance.md). Both run; either one failing fails.
bench: $(VENV)/.installed-dev
	@bin/ensure-debian-package /usr/bin/wrk wrk
	@url=$$($(PY) bin/test-database) || exit 1; \
	  DATABASE_URL="$$url" $(PY) benchmarks/run.py; units=$$?; \
	  DATABASE_URL="$$url" $(PY) benchmarks/load.py; load=$$?; \
	  exit $$(( units || load ))

# Regenerate the Spanish catalogs after changing strings (needs GNU gettext).
messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages --locale es --no-obsolete --ignore '$(VENV)/*' --ignore 'staticfiles/*'
	$(PY) manage.py makemessages --locale es --domain djangojs --no-obsolete --ignore '$(VENV)/*' --ignore 'staticfiles/*' --ignore 'static/vendor/*'
	$(PY) manage.py compilemessages --locale es --ignore '$(VENV)/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 test-fallback.sqlite3
