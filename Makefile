# micuenta — the two commands: `make run` and `make test`. See README.md.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test install install-dev syscheck lint typecheck migrations-check \
        test-sqlite test-postgres test-browser bench bench-smoke screenshots constraints clean

help:
	@echo "make run    set up (first time) and start the portal at http://localhost:$(PORT)/ with demo data"
	@echo "make test   lint, type checks, migrations check, tests on SQLite, PostgreSQL and in Chromium, bench smoke run"
	@echo "make bench  measure pages, feeds, sign-in and PDFs on 200,000 people (PostgreSQL; docs/performance.md)"

# The stamp is written only once the venv works: a failed first attempt is removed and retried next time.
$(VENV)/.created:
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "micuenta needs Python 3.11 or newer; $(PYTHON) is %d.%d. Run: make PYTHON=python3.11 ..." % v[:2])'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing. Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	@rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check pip==26.3 || { rm -rf $(VENV); exit 1; }
	@touch $@

$(VENV)/.runtime: requirements.txt constraints.txt $(VENV)/.created
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt constraints.txt $(VENV)/.created
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

syscheck: $(VENV)/.created
	@$(PY) scripts/check_system.py

# Demo mode, plain HTTP on this machine only; DEBUG stays off, as in production.
run: export MICUENTA_DEMO = 1
run: export MICUENTA_HTTPS = 0
# As runportal prints it: links in e-mails made before it starts. (No comment after the value: make keeps the spaces.)
run: export MICUENTA_BASE_URL ?= http://localhost:$(PORT)
run: install syscheck
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo_data
	$(PY) manage.py tramites_overdue
	$(PY) manage.py avisos_issue
	$(PY) manage.py generate_constancias --latest
	$(PY) manage.py runportal --host $(HOST) --port $(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache

typecheck: install-dev
	$(VENV)/bin/mypy .

migrations-check: install-dev
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: install-dev syscheck
	$(PY) scripts/testpass.py sqlite

test-postgres: install-dev syscheck
	$(PY) scripts/testpass.py postgres

test-browser: install-dev syscheck
	$(PY) scripts/testpass.py browser

# The one-minute version of `make bench`, so that it cannot rot: it fails if any measurement went wrong.
bench-smoke: install-dev
	$(PY) -m micuenta.bench --smoke --check
	@echo "bench smoke run: passed (var/bench-smoke/results)" >> var/testpasses.txt

bench: install-dev
	$(PY) -m micuenta.bench

test: install-dev syscheck
	@rm -f var/testpasses.txt
	$(MAKE) --no-print-directory lint typecheck migrations-check
	$(MAKE) --no-print-directory test-sqlite test-postgres test-browser bench-smoke
	@echo ""
	@echo "make test: lint, types and migrations passed; test passes:"
	@sed 's/^/  /' var/testpasses.txt

screenshots: install-dev
	$(PY) scripts/screenshots.py http://$(HOST):$(PORT) var/screenshots

constraints: install-dev
	@{ echo "# Every installed package, direct or transitive, pinned exactly: pip install -c constraints.txt."; \
	   echo "# Regenerate after changing requirements*.txt: make constraints"; \
	   $(PY) -m pip freeze | sort -f; } > constraints.txt

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .coverage htmlcov
