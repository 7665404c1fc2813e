# Two commands: `make run` serves the site, `make test` runs the suite. Both set up
# everything they need first (virtualenv, locked dependencies, database, content).

SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := quizsite.settings

# The first Python 3.12+ on PATH (pyenv machines pick 3.12 through .python-version).
FIND_PYTHON := for c in python3.12 python3.13 python3.14 python3 python; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	command -v $$c; break; fi; done

.PHONY: run test bench bench-import bench-live setup install lint format check-deploy lock clean

run: setup
	@echo "Serving on http://$(HOST):$(PORT), lab servers on 127.0.0.1:$$(($(PORT)+1))-$$(($(PORT)+3)) (Ctrl+C to stop)"
	exec $(PY) -m quizsite.lab.supervisor --host $(HOST) --port $(PORT)

test: install var/secret_key
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$CI" = "true" ]; then echo "Chromium is missing at /usr/bin/chromium: CI needs it (apt-get install chromium)."; exit 1; fi; \
		echo "Chromium is missing at /usr/bin/chromium: browser tests are skipped (apt-get install chromium to run them)."; fi
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check --quiet .
	$(PY) -m pytest $(PYTEST_ARGS)

# Numbers, not assertions: the site as `make run` serves it (own database, free ports)
# against a bare Django "hello" under gunicorn. Needs Debian's wrk (apt-get install wrk).
BENCH_SECONDS ?= 60
BENCH_LEARNERS ?= 200
BENCH_PAGE_SECONDS ?= 5
BENCH_THINK ?= 2
bench: setup
	$(PY) -m quizsite.bench --seconds $(BENCH_SECONDS) --learners $(BENCH_LEARNERS) --page-seconds $(BENCH_PAGE_SECONDS) --think $(BENCH_THINK)

# A 10,000-question GIFT import (new, then every question changed) while learners answer
# over HTTP: import time and the longest answer wait. DATABASE_URL=postgres://... for PG.
bench-import: install
	$(PY) -m quizsite.bench.import_under_load

setup: install var/secret_key
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_content
	$(PY) manage.py prune

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then \
		echo "Python 3.12 or newer is needed: install it (for example 'apt-get install python3.12' or 'pyenv install 3.12') and run make again."; \
		exit 1; fi; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then rm -rf $(VENV); fi; \
	[ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

var/secret_key:
	@mkdir -p var
	@umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Created a local SECRET_KEY in $@ (git-ignored)."

# N simulated learners in one live session over real WebSockets, against a running site
# (`make run` in another terminal; URLS="http://127.0.0.1:8000 http://127.0.0.1:8001" for
# several processes sharing REDIS_URL). Prints delivery times and answer counts only.
LEARNERS ?= 200
QUESTIONS ?= 3
URLS ?= http://$(HOST):$(PORT)
bench-live: install var/secret_key
	$(PY) -m questions.live.bench $(foreach u,$(URLS),--url $(u)) --learners $(LEARNERS) --questions $(QUESTIONS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check --quiet .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install
	DEBUG=0 HTTPS=1 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=quiz.example.com $(PY) manage.py check --deploy --fail-level WARNING

# Re-resolve the lock after changing dependencies in pyproject.toml.
lock: install
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.12 -o requirements.lock --quiet

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
