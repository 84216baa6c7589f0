#!/usr/bin/env bash
# The production topology on one machine, without Docker, on 127.0.0.1:
#   PostgreSQL (Airflow's metadata DB), Redis (Celery broker), Airflow 3 api-server, scheduler,
#   dag-processor, triggerer and two Celery workers (CeleryExecutor), a three-node Elasticsearch
#   cluster with TLS on HTTP and transport and file-realm users, and a static server for the bundled
#   fixture feed (the stack's default BORDER_FEEDS_FILE).
#
#   scripts/stack.sh up       set up once (certificates, passwords, ports, DBs), start what is not running
#   scripts/stack.sh down     stop every process `up` started (pid files under .cache/stack/run)
#   scripts/stack.sh status   one line per component; exit 1 if any is down
#   scripts/stack.sh env      the client settings as shell exports: eval "$(scripts/stack.sh env)"
#   scripts/stack.sh reset    down, then delete the stack's data, secrets and certificates
#
# Everything lives under .cache/stack (git-ignored): secrets (0600), certificates, data, logs, pids.
# Elasticsearch is the integration-test distribution that scripts/elasticsearch.sh downloads (its
# cache is reused through `scripts/elasticsearch.sh download`). Elasticsearch and PostgreSQL refuse to
# run as root, so under root they (and Redis) run as `nobody`; Airflow runs as the calling user.
# docs/deployment.md describes the topology and how to spread it over several machines.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STACK="${STACK_DIR:-$ROOT/.cache/stack}"
RUN="$STACK/run"
LOGS="$STACK/logs"
PY="$ROOT/.venv/bin/python"
AIRFLOW="$ROOT/.venv/bin/airflow"
PG_BIN="${PG_BIN:-$(dirname "$(readlink -f "$(command -v pg_ctl || echo /usr/local/bin/pg_ctl)")")}"
ES_HEAP="${STACK_ES_HEAP:-512m}"
ES_NODES=(1 2 3)
WORKERS=(1 2)
WORKER_CONCURRENCY="${STACK_WORKER_CONCURRENCY:-2}"
PREFIX="${BORDER_INDEX_PREFIX:-border-news}"
# The distribution scripts/elasticsearch.sh downloads: its version default and cache directory.
ES_DEFAULT=$(sed -n 's/^ES_VERSION="${ES_VERSION:-\(.*\)}"$/\1/p' "$ROOT/scripts/elasticsearch.sh")
ES_VERSION="${ES_VERSION:-$ES_DEFAULT}"
ES_HOME="${ES_CACHE_DIR:-$ROOT/.cache/elasticsearch}/elasticsearch-$ES_VERSION"

log() { echo "[stack] $*" >&2; }
die() { log "$*"; exit 1; }
elapsed() {
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(date +%s.%N)"
}

AS_USER=()
if [[ $(id -u) -eq 0 ]]; then AS_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
own() { if [[ $(id -u) -eq 0 ]]; then chown -R nobody:nogroup "$@"; fi; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

java_home() {
  if [[ -n "${ES_JAVA_HOME:-}" ]]; then echo "$ES_JAVA_HOME"; return; fi
  local release
  for release in /usr/lib/jvm/*/release; do
    if grep -qE '^JAVA_VERSION="(2[1-9]|[3-9][0-9])' "$release"; then dirname "$release"; return; fi
  done
  die "no JDK >= 21 in /usr/lib/jvm; set ES_JAVA_HOME"
}

# --- one-time configuration: ports, secrets, certificates ------------------------------------------

# Ports are picked once (free at that moment) and kept, so URLs stay stable across up/down.
ports() {
  [[ -f "$STACK/ports.env" ]] && return
  mkdir -p "$STACK"
  {
    echo "PG_PORT=$(free_port)"; echo "REDIS_PORT=$(free_port)"; echo "API_PORT=$(free_port)"
    echo "FIXTURE_PORT=$(free_port)"; echo "TRIGGERER_LOG_PORT=$(free_port)"
    for w in "${WORKERS[@]}"; do echo "WORKER_LOG_PORT_$w=$(free_port)"; done
    for n in "${ES_NODES[@]}"; do echo "ES_HTTP_$n=$(free_port)"; echo "ES_TRANSPORT_$n=$(free_port)"; done
  } >"$STACK/ports.env"
}

secrets() {
  [[ -f "$STACK/secrets.env" ]] && return
  (umask 077 && "$PY" - >"$STACK/secrets.env" <<'EOF'
import base64, os, secrets
names = ["ELASTIC_PASSWORD", "PIPELINE_PASSWORD", "ANALYST_PASSWORD", "APP_PASSWORD", "PG_PASSWORD",
         "REDIS_PASSWORD", "AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_JWT_SECRET"]
for name in names:
    print(f"{name}={secrets.token_urlsafe(24)}")
print(f"AIRFLOW_FERNET_KEY={base64.urlsafe_b64encode(os.urandom(32)).decode()}")
EOF
  )
}

load_config() {
  ports; secrets
  # shellcheck disable=SC1091
  source "$STACK/ports.env"; source "$STACK/secrets.env"
  CERTS="$STACK/certs"
  ES_URL="https://127.0.0.1:$ES_HTTP_1"
  PG_URL="postgresql+psycopg://airflow:$PG_PASSWORD@127.0.0.1:$PG_PORT/airflow"
  load_env
}

# A CA and one certificate per node (IP 127.0.0.1, DNS localhost), PEM, by the distribution's certutil.
certificates() {
  [[ -f "$CERTS/ca/ca.crt" && -f "$CERTS/node-3/node-3.crt" ]] && return
  rm -rf "$CERTS" && mkdir -p "$CERTS"
  local java; java=$(java_home)
  {
    echo "instances:"
    for n in "${ES_NODES[@]}"; do
      printf '  - name: node-%s\n    ip: ["127.0.0.1"]\n    dns: ["localhost"]\n' "$n"
    done
  } >"$CERTS/instances.yml"
  ES_JAVA_HOME="$java" "$ES_HOME/bin/elasticsearch-certutil" ca --silent --pem --days 825 \
    --out "$CERTS/ca.zip" >/dev/null
  unzip -q -o "$CERTS/ca.zip" -d "$CERTS"
  ES_JAVA_HOME="$java" "$ES_HOME/bin/elasticsearch-certutil" cert --silent --pem --days 825 \
    --ca-cert "$CERTS/ca/ca.crt" --ca-key "$CERTS/ca/ca.key" --in "$CERTS/instances.yml" \
    --out "$CERTS/nodes.zip" >/dev/null
  unzip -q -o "$CERTS/nodes.zip" -d "$CERTS"
  rm -f "$CERTS/ca.zip" "$CERTS/nodes.zip"
  chmod -R go-rwx "$CERTS" && chmod go+rx "$CERTS" "$CERTS/ca" && chmod go+r "$CERTS/ca/ca.crt"
}

# --- PostgreSQL -------------------------------------------------------------------------------------

pg_running() {
  [[ -f "$STACK/pg/data/postmaster.pid" ]] && kill -0 "$(head -1 "$STACK/pg/data/postmaster.pid")" 2>/dev/null
}

pg_up() {
  if [[ ! -f "$STACK/pg/data/PG_VERSION" ]]; then
    mkdir -p "$STACK/pg" && own "$STACK/pg"
    (umask 077 && echo "$PG_PASSWORD" >"$STACK/pg/pwfile") && own "$STACK/pg/pwfile"
    "${AS_USER[@]}" "$PG_BIN/initdb" -D "$STACK/pg/data" -U postgres --auth=scram-sha-256 \
      --pwfile="$STACK/pg/pwfile" -E UTF8 >"$LOGS/initdb.log" 2>&1 ||
      { tail "$LOGS/initdb.log"; die "initdb failed"; }
    rm -f "$STACK/pg/pwfile"
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\n" \
      "$PG_PORT" "$RUN" >>"$STACK/pg/data/postgresql.conf"
    echo "max_connections = 200" >>"$STACK/pg/data/postgresql.conf"
  fi
  if ! pg_running; then
    "${AS_USER[@]}" "$PG_BIN/pg_ctl" -D "$STACK/pg/data" -l "$LOGS/postgres.log" -w -t 60 start >/dev/null
  fi
  export PGPASSWORD="$PG_PASSWORD"
  local exists
  exists=$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_roles where rolname='airflow'")
  if [[ "$exists" != 1 ]]; then
    psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres \
      -c "create role airflow login password '$PG_PASSWORD'" -c "create database airflow owner airflow"
  fi
  unset PGPASSWORD
}

pg_down() {
  pg_running && "${AS_USER[@]}" "$PG_BIN/pg_ctl" -D "$STACK/pg/data" -m fast -w stop >/dev/null || true
}

# --- Redis ------------------------------------------------------------------------------------------

redis_up() {
  if [[ ! -f "$STACK/redis/redis.conf" ]]; then
    mkdir -p "$STACK/redis"
    (umask 077 && printf 'bind 127.0.0.1\nport %s\nrequirepass %s\ndir %s\nappendonly yes\n' \
      "$REDIS_PORT" "$REDIS_PASSWORD" "$STACK/redis" >"$STACK/redis/redis.conf")
    own "$STACK/redis"
  fi
  pid_alive redis && return
  "${AS_USER[@]}" redis-server "$STACK/redis/redis.conf" --daemonize yes --pidfile "$RUN/redis.pid" \
    --logfile "$LOGS/redis.log"
  for _ in $(seq 1 50); do [[ -s "$RUN/redis.pid" ]] && return; sleep 0.1; done
  die "redis did not start; see $LOGS/redis.log"
}

# --- Elasticsearch: three nodes, TLS, file realm -----------------------------------------------------

es_conf() { echo "$STACK/es/node-$1/config"; }

# Node config dirs from the distribution's config, with certificates, keystore, users and roles.
es_configure() {
  local n=$1 conf java seeds
  conf=$(es_conf "$n"); java=$(java_home)
  [[ -f "$conf/.configured" ]] && return
  rm -rf "$STACK/es/node-$n" && mkdir -p "$conf" "$STACK/es/node-$n/data" "$STACK/es/node-$n/tmp"
  cp -r "$ES_HOME/config/." "$conf/" && rm -f "$conf/elasticsearch.keystore"
  mkdir -p "$conf/certs"
  cp "$CERTS/ca/ca.crt" "$CERTS/node-$n/node-$n.crt" "$CERTS/node-$n/node-$n.key" "$conf/certs/"
  seeds=$(for m in "${ES_NODES[@]}"; do v="ES_TRANSPORT_$m"; printf '"127.0.0.1:%s",' "${!v}"; done)
  local http="ES_HTTP_$n" transport="ES_TRANSPORT_$n"
  cat >"$conf/elasticsearch.yml" <<EOF
cluster.name: border-watch-stack
node.name: node-$n
network.host: 127.0.0.1
http.port: ${!http}
transport.port: ${!transport}
discovery.seed_hosts: [${seeds%,}]
cluster.initial_master_nodes: [node-1, node-2, node-3]
path.data: $STACK/es/node-$n/data
path.logs: $LOGS/es-node-$n
cluster.routing.allocation.disk.threshold_enabled: false
xpack.security.enabled: true
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.key: certs/node-$n.key
xpack.security.http.ssl.certificate: certs/node-$n.crt
xpack.security.http.ssl.certificate_authorities: [certs/ca.crt]
xpack.security.transport.ssl.enabled: true
xpack.security.transport.ssl.verification_mode: full
xpack.security.transport.ssl.key: certs/node-$n.key
xpack.security.transport.ssl.certificate: certs/node-$n.crt
xpack.security.transport.ssl.certificate_authorities: [certs/ca.crt]
# Document-level security (each downstream app sees only its own cursor) needs more than the basic
# licence; the self-generated trial enables it for 30 days on this test cluster.
xpack.license.self_generated.type: trial
EOF
  sed "s/border-news/$PREFIX/g" "$ROOT/deploy/elasticsearch/roles.yml" >"$conf/roles.yml"
  : >"$conf/users"; : >"$conf/users_roles"
  local -a tool_env=(env ES_JAVA_HOME="$java" ES_PATH_CONF="$conf")
  "${tool_env[@]}" "$ES_HOME/bin/elasticsearch-keystore" create >/dev/null 2>&1 || true
  printf '%s' "$ELASTIC_PASSWORD" |
    "${tool_env[@]}" "$ES_HOME/bin/elasticsearch-keystore" add -f -x bootstrap.password
  local users="$ES_HOME/bin/elasticsearch-users"
  "${tool_env[@]}" "$users" useradd border_pipeline -p "$PIPELINE_PASSWORD" -r border_pipeline
  "${tool_env[@]}" "$users" useradd border_analyst -p "$ANALYST_PASSWORD" -r border_analyst
  "${tool_env[@]}" "$users" useradd border_app -p "$APP_PASSWORD" -r border_app
  chmod -R go-rwx "$conf"
  mkdir -p "$LOGS/es-node-$n"
  own "$STACK/es/node-$n" "$LOGS/es-node-$n"
  touch "$conf/.configured"
}

es_pid() { echo "$RUN/es-node-$1.pid"; }
es_node_running() { [[ -f "$(es_pid "$1")" ]] && kill -0 "$(cat "$(es_pid "$1")")" 2>/dev/null; }

es_curl() { curl -s --cacert "$CERTS/ca/ca.crt" -u "elastic:$ELASTIC_PASSWORD" "$@"; }

es_up() {
  "$ROOT/scripts/elasticsearch.sh" download
  certificates
  local java t0 n; java=$(java_home); t0=$(date +%s.%N)
  own "$RUN"
  for n in "${ES_NODES[@]}"; do es_configure "$n"; done
  local -a starting=()
  for n in "${ES_NODES[@]}"; do
    es_node_running "$n" && continue
    log "starting Elasticsearch node-$n (heap $ES_HEAP)"
    # In parallel: `-d` returns once the node has started, which needs the other masters.
    "${AS_USER[@]}" env ES_JAVA_HOME="$java" ES_PATH_CONF="$(es_conf "$n")" \
      ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" ES_TMPDIR="$STACK/es/node-$n/tmp" \
      "$ES_HOME/bin/elasticsearch" -d -p "$(es_pid "$n")" >"$LOGS/es-node-$n.start.log" 2>&1 &
    starting+=("$n:$!")
  done
  local item
  for item in "${starting[@]}"; do
    n=${item%%:*}
    wait "${item#*:}" || { tail -20 "$LOGS/es-node-$n.start.log" >&2; die "node-$n failed to start"; }
  done
  for _ in $(seq 1 180); do
    local q="wait_for_status=green&wait_for_nodes=3&timeout=1s"
    if es_curl -f "$ES_URL/_cluster/health?$q" >/dev/null 2>&1; then
      log "Elasticsearch: 3 nodes, green, after $(elapsed "$t0") s"; return
    fi
    for n in "${ES_NODES[@]}"; do es_node_running "$n" || die "node-$n exited; see $LOGS/es-node-$n"; done
    sleep 1
  done
  die "Elasticsearch cluster not green after 180 s"
}

# The article index (aliases, template) as the pipeline creates it, then one replica on the cluster.
# pipeline/index.py creates every index with 0 replicas; the replica count is a dynamic setting.
es_init_indices() {
  client_env "$PY" -m pipeline init-index >"$LOGS/init-index.log" 2>&1 ||
    { cat "$LOGS/init-index.log"; die "init-index failed"; }
  es_curl -f -X PUT "$ES_URL/$PREFIX/_settings" -H 'Content-Type: application/json' \
    -d "{\"index\": {\"number_of_replicas\": ${STACK_ARTICLE_REPLICAS:-1}}}" >/dev/null
  es_curl -f "$ES_URL/_cluster/health/$PREFIX?wait_for_status=green&timeout=60s" >/dev/null
}

# --- Airflow ----------------------------------------------------------------------------------------

# The settings every Airflow component and client of the stack shares.
stack_env() {
  local conn
  conn=$(HOST=127.0.0.1 PORT="$ES_HTTP_1" LOGIN=border_pipeline PW="$PIPELINE_PASSWORD" \
    CA="$CERTS/ca/ca.crt" \
    "$PY" -c 'import json, os; e = os.environ; print(json.dumps({"conn_type": "generic", "host": e["HOST"],
      "port": int(e["PORT"]), "schema": "https", "login": e["LOGIN"],
      "password": e["PW"], "extra": {"ca_certs": e["CA"], "verify_certs": True}}))')
  cat <<EOF
PYTHONPATH=$ROOT:$ROOT/scripts/stack
AIRFLOW_HOME=$STACK/airflow
AIRFLOW__CORE__EXECUTOR=CeleryExecutor
AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=$PG_URL
AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC=${PG_URL/+psycopg:/+psycopg_async:}
AIRFLOW__CELERY__BROKER_URL=redis://:$REDIS_PASSWORD@127.0.0.1:$REDIS_PORT/0
AIRFLOW__CELERY__RESULT_BACKEND=db+postgresql+psycopg://airflow:$PG_PASSWORD@127.0.0.1:$PG_PORT/airflow
AIRFLOW__CELERY__WORKER_CONCURRENCY=$WORKER_CONCURRENCY
AIRFLOW__CORE__DAGS_FOLDER=$ROOT/dags
AIRFLOW__CORE__PLUGINS_FOLDER=$ROOT/plugins
AIRFLOW__CORE__LOAD_EXAMPLES=False
AIRFLOW__CORE__UNIT_TEST_MODE=False
AIRFLOW__CORE__FERNET_KEY=$AIRFLOW_FERNET_KEY
AIRFLOW__API_AUTH__JWT_SECRET=$AIRFLOW_JWT_SECRET
AIRFLOW__API__HOST=127.0.0.1
AIRFLOW__API__PORT=$API_PORT
AIRFLOW__API__WORKERS=1
AIRFLOW__API__BASE_URL=http://127.0.0.1:$API_PORT
AIRFLOW__CORE__EXECUTION_API_SERVER_URL=http://127.0.0.1:$API_PORT/execution/
AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=admin:admin
AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE=$STACK/airflow/passwords.json
AIRFLOW__LOGGING__BASE_LOG_FOLDER=$STACK/airflow/logs
AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT=$TRIGGERER_LOG_PORT
AIRFLOW__CORE__HOSTNAME_CALLABLE=stack_hostname.hostname
AIRFLOW_CONN_BORDER_NEWS_ES=$conn
ES_URL=$ES_URL
ES_USERNAME=border_pipeline
ES_PASSWORD=$PIPELINE_PASSWORD
ES_CA_CERTS=$CERTS/ca/ca.crt
ES_VERIFY_CERTS=true
BORDER_INDEX_PREFIX=$PREFIX
BORDER_FEEDS_FILE=${BORDER_FEEDS_FILE:-$ROOT/config/feeds.fixture.yaml}
FIXTURE_BASE_URL=http://127.0.0.1:$FIXTURE_PORT
STACK_API_URL=http://127.0.0.1:$API_PORT
STACK_AIRFLOW_USER=admin
STACK_AIRFLOW_PASSWORD=$AIRFLOW_ADMIN_PASSWORD
STACK_ANALYST_USER=border_analyst
STACK_ANALYST_PASSWORD=$ANALYST_PASSWORD
STACK_APP_USER=border_app
STACK_APP_PASSWORD=$APP_PASSWORD
STACK_ES_URLS=$(es_urls)
EOF
}

es_urls() {
  local n v
  for n in "${ES_NODES[@]}"; do v="ES_HTTP_$n"; printf 'https://127.0.0.1:%s,' "${!v}"; done | sed 's/,$//'
}

# Run a command with the stack's environment (Airflow's hostname callable lives in scripts/stack).
ENV_VARS=()
load_env() {
  ENV_VARS=()
  while IFS= read -r line; do ENV_VARS+=("$line"); done < <(stack_env)
  ENV_VARS+=(PATH="$ROOT/.venv/bin:$PATH")
}
client_env() { env "${ENV_VARS[@]}" "$@"; }

pid_alive() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# Start `name` in its own session (so `down` can stop it with all its children), log to logs/name.log.
spawn() {
  local name=$1; shift
  pid_alive "$name" && return
  # A simple command: $! is setsid's pid, which becomes the session and process-group leader.
  setsid env "${ENV_VARS[@]}" "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

airflow_up() {
  mkdir -p "$STACK/airflow/logs"
  (umask 077 && printf '{"admin": "%s"}\n' "$AIRFLOW_ADMIN_PASSWORD" >"$STACK/airflow/passwords.json")
  if [[ ! -f "$STACK/airflow/.migrated" ]]; then
    log "migrating Airflow's metadata DB on PostgreSQL"
    client_env "$AIRFLOW" db migrate >"$LOGS/airflow-migrate.log" 2>&1 ||
      { tail -30 "$LOGS/airflow-migrate.log"; die "airflow db migrate failed"; }
    touch "$STACK/airflow/.migrated"
  fi
  spawn fixture-feed "$PY" -m http.server "$FIXTURE_PORT" --bind 127.0.0.1 --directory "$ROOT/seeds"
  spawn api-server "$AIRFLOW" api-server
  spawn scheduler "$AIRFLOW" scheduler
  spawn dag-processor "$AIRFLOW" dag-processor
  spawn triggerer "$AIRFLOW" triggerer
  for w in "${WORKERS[@]}"; do
    local port="WORKER_LOG_PORT_$w"
    spawn "worker-$w" env STACK_WORKER_NAME="worker-$w" AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="${!port}" \
      "$AIRFLOW" celery worker --celery-hostname "worker-$w@%h" --concurrency "$WORKER_CONCURRENCY"
  done
  local deadline=$((SECONDS + 180)) c
  while ((SECONDS < deadline)); do
    for c in "${AIRFLOW_COMPONENTS[@]}"; do
      pid_alive "$c" || { tail -20 "$LOGS/$c.log" >&2; die "$c exited; see $LOGS/$c.log"; }
    done
    curl -sf "http://127.0.0.1:$API_PORT/api/v2/version" >/dev/null && { celery_ping && return; }
    sleep 2
  done
  die "Airflow api-server or Celery workers not ready after 180 s; see $LOGS"
}

# Both Celery workers answer a ping through the Redis broker.
celery_ping() {
  local out
  out=$(client_env "$PY" -m celery -A airflow.providers.celery.executors.celery_executor.app inspect ping \
    --timeout 3 2>/dev/null || true)
  for w in "${WORKERS[@]}"; do grep -q "worker-$w@" <<<"$out" || return 1; done
}

AIRFLOW_COMPONENTS=(fixture-feed api-server scheduler dag-processor triggerer worker-1 worker-2)

stop_pid() {
  local name=$1 pid
  [[ -f "$RUN/$name.pid" ]] || return 0
  pid=$(cat "$RUN/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    # The process leads its own session (setsid): signal the whole group, children included.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) did not stop in 30 s; killing"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$RUN/$name.pid"
}

# --- commands ---------------------------------------------------------------------------------------

up() {
  [[ -x "$PY" ]] || die "no .venv: run 'make stack' (it installs the [stack] extra)"
  command -v redis-server >/dev/null || die "redis-server missing: run 'make stack' as root, or install it"
  local t0; t0=$(date +%s.%N)
  mkdir -p "$RUN" "$LOGS" && own "$RUN" "$LOGS"
  load_config
  pg_up; log "PostgreSQL on 127.0.0.1:$PG_PORT"
  redis_up; log "Redis on 127.0.0.1:$REDIS_PORT"
  es_up
  es_init_indices; log "article index: read alias $PREFIX, ${STACK_ARTICLE_REPLICAS:-1} replica"
  airflow_up
  log "Airflow api-server http://127.0.0.1:$API_PORT (user admin, password in $STACK/secrets.env)," \
    "2 Celery workers; up in $(elapsed "$t0") s"
  log "client settings: eval \"\$(scripts/stack.sh env)\""
}

down() {
  [[ -d "$RUN" ]] || { log "nothing to stop"; return 0; }
  local c n
  for c in "${AIRFLOW_COMPONENTS[@]}"; do stop_pid "$c"; done
  for n in "${ES_NODES[@]}"; do stop_pid "es-node-$n"; done
  stop_pid redis
  if pg_running; then pg_down; log "stopped PostgreSQL"; fi
}

status() {
  load_config
  local bad=0 c n
  line() { printf '%-14s %-8s %s\n' "$1" "$2" "$3"; }
  if pg_running; then line postgres up "127.0.0.1:$PG_PORT pid $(head -1 "$STACK/pg/data/postmaster.pid")"
  else line postgres down ""; bad=1; fi
  if pid_alive redis; then line redis up "127.0.0.1:$REDIS_PORT pid $(cat "$RUN/redis.pid")"
  else line redis down ""; bad=1; fi
  for n in "${ES_NODES[@]}"; do
    local port="ES_HTTP_$n"
    if es_node_running "$n"; then
      line "es-node-$n" up "https://127.0.0.1:${!port} pid $(cat "$(es_pid "$n")")"
    else line "es-node-$n" down ""; bad=1; fi
  done
  local health
  health=$(es_curl "$ES_URL/_cluster/health" 2>/dev/null | "$PY" -c \
    'import json,sys; h=json.load(sys.stdin); print(h["status"], h["number_of_nodes"], "nodes")' \
    2>/dev/null || echo unreachable)
  line es-cluster "${health%% *}" "$health"
  for c in "${AIRFLOW_COMPONENTS[@]}"; do
    if pid_alive "$c"; then line "$c" up "pid $(cat "$RUN/$c.pid")"; else line "$c" down ""; bad=1; fi
  done
  if celery_ping; then line celery up "worker-1 and worker-2 answer a ping"
  else line celery down "no ping"; bad=1; fi
  return $bad
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) load_config; stack_env | sed "s/^\([A-Z_0-9]*\)=\(.*\)$/export \1='\2'/" ;;
  reset) down; rm -rf "$STACK" ;;
  *) echo "usage: $0 up|down|status|env|reset" >&2; exit 2 ;;
esac
