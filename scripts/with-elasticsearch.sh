#!/usr/bin/env bash
# Run a command with ES_URL pointing at a real cluster: the one in ES_URL if set, else a local node
# started here and stopped again when the command ends, whether it passed or failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [[ -z "${ES_URL:-}" ]]; then
  if "$here/elasticsearch.sh" status >/dev/null 2>&1; then
    # A node left running by `make run`: use it and leave it running.
    ES_URL=$("$here/elasticsearch.sh" url)
  else
    ES_URL=$("$here/elasticsearch.sh" start) || exit 1
    trap '"$here/elasticsearch.sh" stop' EXIT
  fi
  export ES_URL
fi
"$@"
