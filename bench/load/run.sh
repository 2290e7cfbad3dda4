#!/usr/bin/env bash
# Loopback load test of one endpoint of a release build, with wrk, bounded in time.
# Usage: bench/load/run.sh [--postgres] [--duration 10s] [--connections 16] [--script file.lua] PATH
# Starts its own server on a fresh database (SQLite by default), creates a tenant, runs wrk
# against http://127.0.0.1:<port>PATH with the tenant's key, prints wrk's report, stops.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=10s; connections=16; script=""; backend=sqlite
while [ $# -gt 1 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --script) script=$2; shift 2 ;;
    --postgres) backend=postgres; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
path=${1:?usage: run.sh [options] PATH}
cargo build --release -q -p sightline-server
bin=target/release/sightline
work=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; [ -n "${SIGHTLINE_TEST_PG_DIR:-}" ] && scripts/pg-stop.sh "$SIGHTLINE_TEST_PG_DIR"; rm -rf "$work"; }
trap cleanup EXIT
if [ "$backend" = postgres ]; then
  eval "$(scripts/pg-start.sh)"
  url=$SIGHTLINE_TEST_PG_URL
else
  url="sqlite://$work/bench.db"
fi
key=$("$bin" --database-url "$url" --output json tenants create --name bench --mode test | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
"$bin" --database-url "$url" --log-level warn serve --listen 127.0.0.1:0 \
  --rate-limit-per-second 1000000 --rate-limit-burst 1000000 >"$work/out.log" 2>"$work/err.log" &
pid=$!
for _ in $(seq 100); do grep -q '^listening on' "$work/out.log" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out.log")
export SIGHTLINE_BENCH_KEY=$key
args=(-t 2 -c "$connections" -d "$duration" --latency -H "Authorization: Bearer $key")
[ -n "$script" ] && args+=(-s "$script")
echo "== wrk ${args[*]/$key/<key>} $base$path ($backend)"
wrk "${args[@]}" "$base$path"
