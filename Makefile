# Two commands: `make run` (everything embedded) and `make test` (PostgreSQL + Redis).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

# make test defaults: the local PostgreSQL and Redis (override by setting the variables).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clinic
TEST_BROKER_URL ?= redis://127.0.0.1:6379/14

VENDOR := static/vendor/bootstrap/bootstrap.min.css static/vendor/htmx/htmx.min.js

.PHONY: run test lint format e2e bench setup system clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENDOR): static/package.json static/package-lock.json
	npm ci --prefix static --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/bootstrap-icons
	cp static/node_modules/bootstrap/dist/css/bootstrap.min.css \
	   static/node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   static/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	   static/node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp static/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp -r static/node_modules/bootstrap-icons/font/bootstrap-icons.min.css \
	   static/node_modules/bootstrap-icons/font/fonts static/vendor/bootstrap-icons/
	touch $(VENDOR)

setup: $(BIN)/.installed $(VENDOR)

# The Debian packages the suite needs (Chromium, poppler, fonts, npm), installed when missing,
# and PostgreSQL and Redis started when stopped: .ci/system holds the one list.
system:
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} bash .ci/system

run: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  Runner PT Clinic is starting at http://127.0.0.1:8000"
	@echo "  Logins: clinician / frontdesk / admin, password: $${DEMO_PASSWORD:-run-clinic-demo}"
	@echo "  Ctrl-C stops the web server, the Celery worker and Celery beat."
	@echo
	$(BIN)/honcho start -f Procfile

test: system setup
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	$(BIN)/pytest $(PYTEST_ARGS)

e2e: system setup
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	$(BIN)/pytest e2e $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark (not part of make test): its own database and Redis DB; see bench/README.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clinic_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/10

bench:
	@DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) bash .ci/system --bench
	$(MAKE) setup
	$(BIN)/python bench/run.py --database-url $(BENCH_DATABASE_URL) --broker-url $(BENCH_BROKER_URL) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) static/node_modules static/vendor staticfiles .pytest_cache
