#!/usr/bin/env bash
# Stops and deletes a PostgreSQL started by scripts/pg-start.sh.
set -uo pipefail
dir=${1:?usage: pg-stop.sh DATA_DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
run=()
[ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
rm -rf "$dir"
