# border-watch: two commands on a fresh machine.
#   make run   set up, start a local Elasticsearch, run the ingest DAG once over the bundled fixture feed
#   make test  set up, start a throw-away Elasticsearch, run lint + tests, stop everything it started
SHELL := /bin/bash
PY := $(CURDIR)/.venv/bin/python
VENV_STAMP := .venv/.installed

export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN := sqlite:///$(CURDIR)/.airflow/airflow.db
export AIRFLOW__CORE__UNIT_TEST_MODE := False
export AIRFLOW__LOGGING__BASE_LOG_FOLDER := $(CURDIR)/.airflow/logs
export PYTHONPATH := $(CURDIR)
export PATH := $(CURDIR)/.venv/bin:$(PATH)

.PHONY: run test pytest setup lint es-start es-stop stop bench clean chromium bench-ingest

setup: $(VENV_STAMP) .airflow/.migrated

# Headless Chromium for the Airflow UI plugin test (Debian packages; as root, only when missing).
chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "chromium/chromium-driver missing: run 'make chromium' as root"; exit 1; fi; \
	  apt-get install -y chromium chromium-driver >/dev/null 2>&1 || \
	  { apt-get update >/dev/null && apt-get install -y chromium chromium-driver >/dev/null; }; \
	fi

$(VENV_STAMP): pyproject.toml
	test -x .venv/bin/python || python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -e '.[dev]'
	touch $@

.airflow/.migrated: $(VENV_STAMP)
	mkdir -p .airflow
	.venv/bin/airflow db migrate > .airflow/migrate.log 2>&1 || (tail -30 .airflow/migrate.log; exit 1)
	touch $@

run: setup
	scripts/run-local.sh

test: setup chromium
	scripts/with-elasticsearch.sh bash -c '.venv/bin/ruff check pipeline dags plugins tests benchmarks scripts evaluation && .venv/bin/ruff format --check pipeline dags plugins tests benchmarks scripts evaluation && .venv/bin/python -m pytest -q -p no:cacheprovider'

# A subset while developing: make pytest ARGS='tests/test_dates.py -x'
pytest: setup chromium
	scripts/with-elasticsearch.sh .venv/bin/python -m pytest -p no:cacheprovider $(ARGS)

lint: setup
	.venv/bin/ruff check pipeline dags plugins tests benchmarks scripts evaluation && .venv/bin/ruff format --check pipeline dags plugins tests benchmarks scripts evaluation

es-start:
	scripts/elasticsearch.sh start

# Stops what `make run` left running (the local Elasticsearch).
stop es-stop:
	scripts/elasticsearch.sh stop

clean: stop
	scripts/elasticsearch.sh clean
	rm -rf .airflow .cache/elasticsearch/data .cache/elasticsearch/logs .cache/elasticsearch/run

# Ingest benchmark (real Airflow scheduler, LocalExecutor): make bench-ingest ARGS='--minutes 5'
bench-ingest: setup
	scripts/with-elasticsearch.sh .venv/bin/python benchmarks/ingest.py $(ARGS)

# The production topology on this machine, without Docker (docs/deployment.md): PostgreSQL, Redis,
# Airflow with two Celery workers, a three-node Elasticsearch cluster with TLS and file-realm users.
# make stack   install the [stack] extra and redis-server (as root, when missing), start everything
# make stack-down   stop every process `make stack` started
# make test-stack   the ingest DAG on the stack through the Celery workers (brings it up if needed)
.PHONY: stack stack-down stack-status test-stack redis-server
STACK_STAMP := .venv/.stack-installed

$(STACK_STAMP): $(VENV_STAMP) pyproject.toml
	.venv/bin/pip install -q -e '.[dev,stack]'
	touch $@

redis-server:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "redis-server missing: run 'make redis-server' as root"; exit 1; fi; \
	  apt-get install -y redis-server >/dev/null 2>&1 || \
	  { apt-get update >/dev/null && apt-get install -y redis-server >/dev/null; }; \
	fi

stack: $(STACK_STAMP) redis-server
	scripts/stack.sh up

stack-down:
	scripts/stack.sh down

stack-status:
	scripts/stack.sh status

test-stack: $(STACK_STAMP) redis-server
	BORDER_STACK_TEST=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/stack $(ARGS)
