# Quick start: `make run` serves the system; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Development keys live in var/dev.env (created once, never committed); the caller's
# environment wins over the file.
DEV_ENV := var/dev.env
WITH_ENV := set -a; . ./$(DEV_ENV); set +a; $(foreach v,DATABASE_URL DEBUG DEMO_PASSWORD,$(if $($(v)),export $(v)='$($(v))';))

.PHONY: run setup venv assets migrate test lint bench clean browser

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11 (python3.11 not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.lock
	touch $@

venv: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.done: node_modules/.package-lock.json scripts/vendor_assets.sh
	scripts/vendor_assets.sh
	touch $@

assets: static/vendor/.done

$(DEV_ENV):
	$(PYTHON) scripts/dev_env.py $(DEV_ENV)

migrate: venv $(DEV_ENV)
	$(WITH_ENV) $(PY) manage.py migrate --noinput
	$(WITH_ENV) $(PY) manage.py createcachetable
	$(WITH_ENV) $(PY) manage.py load_regions
	$(WITH_ENV) $(PY) manage.py demo_data

setup: venv assets migrate

# Serves on http://127.0.0.1:$(PORT) with the task worker beside it; Ctrl-C stops both.
run: setup
	@echo "安全生产举报系统: http://127.0.0.1:$(PORT)/"
	@$(WITH_ENV) trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py run_worker & \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload & \
	  wait

browser:
	@scripts/ensure_chromium.sh

test: venv assets browser
	$(PY) -m ruff check .
	TESTING=1 $(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "模型有未生成的迁移 / missing migrations"; exit 1; }
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: venv
	$(PY) -m ruff check .

bench: venv
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
