# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install run test lint services-up services-down bench schema clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m asan --profile dev services up
	$(PY) -m asan --profile dev migrate
	$(PY) -m asan --profile dev seed
	$(PY) -m asan --profile dev serve

lint: install
	$(VENV)/bin/ruff check asan tests bench
	$(VENV)/bin/mypy asan

# Services for tests use their own ports and data directory (profile "test") and are
# stopped when the run ends, whatever its outcome.
test: install lint
	@bash -c 'trap "$(PY) -m asan --profile test services down" EXIT; \
	  $(PY) -m asan --profile test services up && \
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
