# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Exact versions and hashes of every Python package (runtime + dev); `make lock` regenerates.
LOCK := requirements-dev.lock
RUNTIME_LOCK := requirements.lock
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
LOCK_ARGS := --universal --python-version 3.11 --generate-hashes --quiet
UPGRADE ?=

.PHONY: install debian-packages web-assets run test lint services-up services-down bench schema clean fuzz lock

# Re-installs whenever the lock (or pyproject.toml) is newer than the stamp.
$(STAMP): $(LOCK) pyproject.toml
	@start=$$(date +%s); \
	if [ ! -x $(PY) ]; then \
	  echo "==> Creating the virtualenv $(VENV) (usually a few seconds)"; \
	  $(PYTHON) -m venv $(VENV) || exit 1; \
	fi; \
	echo "==> Installing the locked Python packages from $(LOCK) (usually 1-3 minutes the first time, seconds after; pip reports each package)"; \
	$(PY) -m pip install --upgrade pip && \
	$(PY) -m pip install --require-hashes -r $(LOCK) && \
	$(PY) -m pip install --no-deps -e . && \
	echo "    Python packages: done in $$(( $$(date +%s) - start ))s"
	@touch $(STAMP)

install: $(STAMP) debian-packages web-assets

# Front-end files the web pages use (htmx; axe-core for the browser tests), from npm's lock.
web-assets:
	@tools/web-assets.sh

# Programs the document system runs (pdfsig, pdftoppm, tesseract with Azerbaijani, fonts, qpdf).
debian-packages:
	@tools/debian-packages.sh

# Regenerate the locks from pyproject.toml, keeping current pins where they still fit;
# `make lock UPGRADE=1` moves every package to its newest allowed version,
# `make lock UPGRADE='--upgrade-package neo4j'` just one. Commit both lock files.
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) && $(UV) --version | grep -q ' $(UV_VERSION)' || \
	  $(PY) -m pip install 'uv==$(UV_VERSION)'
	$(UV) pip compile pyproject.toml --extra dev --extra bench $(LOCK_ARGS) \
	  $(if $(filter 1,$(UPGRADE)),--upgrade,$(UPGRADE)) -o $(LOCK)
	$(UV) pip compile pyproject.toml $(LOCK_ARGS) --constraint $(LOCK) -o $(RUNTIME_LOCK)

run: install
	$(PY) -m asan --profile dev services up
	$(PY) -m asan --profile dev migrate
	$(PY) -m asan --profile dev seed
	$(PY) -m asan --profile dev serve

lint: install
	@echo "==> Lint with ruff (usually seconds)"
	$(VENV)/bin/ruff check asan tests bench
	@echo "==> Type check with mypy --strict (usually 1-2 minutes the first time, seconds with its cache)"
	@start=$$(date +%s); $(VENV)/bin/mypy asan && echo "    mypy: done in $$(( $$(date +%s) - start ))s"
	@# schema.graphql: graphql-schema-linter, then graphql-inspector diff against the released schema
	tools/schema/check.sh

# Services for tests use their own ports and data directory (profile "test") and are
# stopped when the run ends, whatever its outcome.
test: install lint
	@bash -c 'trap "$(PY) -m asan --profile test services down" EXIT; \
	  $(PY) -m asan --profile test services up && \
	  echo "==> Tests against the real services (usually 2-4 minutes on 2 cores)" && \
	  ASAN_PROFILE=test $(PY) -m pytest $(PYTEST_ARGS)'

bench: install
	@bash -c 'trap "$(PY) -m asan --profile test services down" EXIT; \
	  $(PY) -m asan --profile test services up && \
	  ASAN_PROFILE=test $(PY) -m bench $(BENCH_ARGS)'

# A bounded schemathesis run (GraphQL mode) against a seeded API on loopback; fails on any
# INTERNAL_SERVER_ERROR, 5xx or unanswered request. Own data dir and ports (overridable with
# the usual ASAN_* variables) so it can run beside `make test`; reports in .data/fuzz/fuzz/.
fuzz: install
	@bash -c 'export ASAN_PROFILE=test ASAN_DATA_DIR=$${ASAN_DATA_DIR:-$(CURDIR)/.data/fuzz} \
	    ASAN_NEO4J_PORT=$${ASAN_NEO4J_PORT:-17787} ASAN_MINIO_PORT=$${ASAN_MINIO_PORT:-19100} \
	    ASAN_HTTP_PORT=$${ASAN_HTTP_PORT:-18800}; \
	  trap "$(PY) -m asan services down" EXIT; \
	  $(PY) -m asan services up && $(PY) -m fuzz $(FUZZ_ARGS)'

schema: install
	$(PY) -m asan export-schema

services-up: install
	$(PY) -m asan services up

services-down: install
	$(PY) -m asan services down

clean:
	rm -rf .data/test .pytest_cache .mypy_cache .ruff_cache
