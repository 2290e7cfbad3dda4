#!/usr/bin/env bash
# Starts a throw-away PostgreSQL from the installed binaries (initdb into a temp dir, pg_ctl
# on a free loopback port) and prints `export` lines for its URL and data dir.
# Usage: eval "$(scripts/pg-start.sh)"; ...; scripts/pg-stop.sh "$SIGHTLINE_TEST_PG_DIR"
# Durability is off (a test database) and the WAL is kept small: with the defaults it grew to
# ~850 MB over the test suite, on CI machines whose disk is shared.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; exit 1; }
dir=$(mktemp -d /tmp/sightline-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root.
  chown postgres "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 \
     -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=64MB -c min_wal_size=32MB" \
  start >/dev/null
echo "export SIGHTLINE_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
echo "export SIGHTLINE_TEST_PG_DIR=$dir"
echo "export SIGHTLINE_TEST_PG_BIN=$bin"
