# Acuerdos — the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_ENV := DEBUG=false HTTPS=false ACUERDOS_ALLOW_DEV_SECRET=true TWO_FACTOR_REQUIRED_FOR_COORDINATORS=false
DEMO_CUTOFFS := 2026-05-31 2026-06-30 2026-07-31 2026-08-31 2026-09-30
APT_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
	fonts-dejavu-core fonts-liberation2 fonts-noto-core

.PHONY: help install system-deps python-deps assets demo serve test test-sqlite test-postgres \
	test-browser lint check-deploy bench clean

help:
	@echo "make demo   instala, migra, carga catálogo y datos de demostración y sirve en 127.0.0.1:8000"
	@echo "make test   instala todo (incluido chromium de Debian) y corre toda la batería de pruebas"
	@echo "make lint   ruff, ruff format --check, mypy --strict, makemigrations --check"
	@echo "make bench  corre los benchmarks de bench/ (no forma parte de make test)"

# --- Installation: everything the project needs, from its own files -------------------------
install: system-deps python-deps assets

system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Instalando paquetes de Debian:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(PYTHON):
	$(PY) -m venv $(VENV)

$(UV): | $(PYTHON)
	$(PYTHON) -m pip install -q "uv==0.13.9"

python-deps: $(UV)
	$(UV) pip install -q --python $(PYTHON) -r requirements.lock

assets:
	@[ -d node_modules/bootstrap ] && [ -d node_modules/bootstrap-icons ] || npm ci --no-audit --no-fund --loglevel=error

# --- Demo -----------------------------------------------------------------------------------
demo: install
	$(DEMO_ENV) $(MANAGE) migrate --no-input -v 0
	$(DEMO_ENV) $(MANAGE) load_catalog
	$(DEMO_ENV) $(MANAGE) seed_demo --seed 1 --if-empty
	@# Monthly cut-offs closed up to September (trend, snapshots) with that month's reports;
	@# October's stays open for the coordinator to close from the screen.
	@for day in $(DEMO_CUTOFFS); do \
		$(DEMO_ENV) REPORTS_ON_CUTOFF_CLOSE=false $(MANAGE) close_cutoff $$day || exit 1; \
	done
	$(DEMO_ENV) $(MANAGE) generate_reports --cutoff 2026-09-30 --no-deliver
	$(DEMO_ENV) $(MANAGE) collectstatic --no-input -v 0
	$(MAKE) --no-print-directory serve

serve:
	@$(DEMO_ENV) $(MANAGE) demo_logins
	@echo "Acuerdos en http://127.0.0.1:8000/ (Ctrl+C para detener el servidor y el worker)"
	@trap 'kill 0' EXIT INT TERM; \
	$(DEMO_ENV) $(MANAGE) run_huey & \
	$(DEMO_ENV) $(BIN)/gunicorn acuerdos.wsgi --bind 127.0.0.1:8000 --workers 2 --threads 4 \
		--access-logfile - --log-level warning

# --- Tests ----------------------------------------------------------------------------------
test: install lint check-deploy test-sqlite test-postgres

test-sqlite:
	$(BIN)/pytest -q

test-postgres:
	@if $(PYTHON) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "PostgreSQL responde: corriendo la batería contra $(PG_URL) (sin pruebas de navegador)"; \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser"; \
	else \
		echo "PostgreSQL no responde en $(PG_URL): se omite la corrida en PostgreSQL."; \
	fi

test-browser:
	$(BIN)/pytest -q -m browser

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	ACUERDOS_ALLOW_DEV_SECRET=true $(MANAGE) makemigrations --check --dry-run -v 1

check-deploy:
	SECRET_KEY="$$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')x-production-check" \
	DEBUG=false HTTPS=true ALLOWED_HOSTS=acuerdos.imss.gob.mx \
	DATABASE_URL=sqlite:////tmp/acuerdos-check-deploy.sqlite3 \
	$(MANAGE) check --deploy --fail-level WARNING

bench: install
	REPORTS_ON_CUTOFF_CLOSE=false $(PYTHON) bench/run.py
	$(PYTHON) bench/imports.py
	$(PYTHON) bench/reports.py

clean:
	rm -rf $(VENV) node_modules staticfiles .test-media .test-db.sqlite3* db.sqlite3* huey.sqlite3*
