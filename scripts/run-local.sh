#!/usr/bin/env bash
# `make run`: the main job end to end on the embedded default. Starts (or reuses) the local
# Elasticsearch, serves the bundled fixture feed on 127.0.0.1, runs the ingest DAG once with
# `airflow dags test`, and prints a summary. Elasticsearch is LEFT RUNNING so you can search it;
# stop it with `make stop`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${ES_URL:-}" ]]; then
  ES_URL=$(scripts/elasticsearch.sh start)
fi
export ES_URL
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
.venv/bin/python -m http.server "$port" --bind 127.0.0.1 --directory seeds >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
export FIXTURE_BASE_URL="http://127.0.0.1:$port"
export BORDER_FEEDS_FILE="${BORDER_FEEDS_FILE:-$PWD/config/feeds.fixture.yaml}"
for _ in $(seq 1 50); do curl -sf "$FIXTURE_BASE_URL/feed.xml" >/dev/null && break; sleep 0.1; done
echo "== running DAG border_news_ingest over $BORDER_FEEDS_FILE (feed at $FIXTURE_BASE_URL)"
run_date=$(date -u +%Y-%m-%dT%H:%M:%S+00:00)
if ! .venv/bin/airflow dags test border_news_ingest "$run_date" > .airflow/last-run.log 2>&1; then
  echo "DAG run failed; last lines of .airflow/last-run.log:"; tail -40 .airflow/last-run.log; exit 1
fi
echo
echo "== run summary (also in the runs index, and the DAG run's note)"
grep -E "^run summary |^- (feeds|entries|processed|dead-lettered|durations|freshness|failed feeds)" .airflow/last-run.log | tail -8 || true
echo
echo "== Elasticsearch at $ES_URL"
.venv/bin/python -m pipeline summary
echo
echo "Elasticsearch is still running at $ES_URL (stop it with: make stop)."
