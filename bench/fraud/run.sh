#!/usr/bin/env bash
# Loopback load test of the Fraud API (default rule pack, sealed device payloads) next to the
# trivial-endpoint baseline, in one run on one fresh SQLite store, release build.
# Usage: bench/fraud/run.sh [--events N] [--rate R] [--duration S] [--warmup S] [--skip-throughput] [--one-ip]
#                           [--one-device] [--devices N] [--device-per-user] [--fresh-payloads]
#                           [--deny-cidr-entries N] [--postgres URL]
#   --events N   bulk-load N synthetic history events first (bench/loadgen fill); the
#                requests then reuse that history's users, emails, phones and cards.
#   --rate R     the fixed rate of the latency run (default 1000 req/s).
#   --warmup S   seconds of load at that rate before the latency run measures (default 2). Right
#                after a 10M-event load the first ~20 s run slower (a server restarted on the
#                same store later does not: the OS cache is warm by then); 30 measures the
#                steady state.
#   --one-ip     every request comes from one IP address (a carrier's NAT, or an attack from
#                one address): its velocity counters then have the whole run's events to read.
#   --one-device every request carries the same device's payload with the history's user ids
#                (a bot cycling accounts through one browser): its identity-graph counts and
#                per-device counters then have the whole run's users to read.
#   --devices N  how many simulated devices the requests come from, a third per platform
#                (default 120, the figures of every session so far). With 10,000 users of
#                history, 120 devices carry ~80 users each and pile up hundreds of events per
#                device key within a run; real devices see a handful of users.
#   --device-per-user  each user id always comes with the same device of the pool (as people
#                keep their phone) instead of the next device in turn.
#   --fresh-payloads  every request carries a payload sealed for it alone, as the agent seals one
#                per call (by default each device's one sealed payload is sent again and again,
#                and the replay check stores a payload id only the first time). Sealing them
#                takes a while; a run that outlasts its share starts reusing them.
#   --deny-cidr-entries N  put N addresses on the tenant's deny_cidr list first (a large
#                imported block list; none of them matches the requests). SQLite only.
#   --postgres URL  serve from this (empty) PostgreSQL database instead; the history is then
#                only used to make the request bodies, it is not loaded into PostgreSQL. A
#                5 s warm-up of decisions is written first and ANALYZEd (needs `psql`), as
#                autovacuum would have done on a live database: planned on never-analysed
#                empty tables, PostgreSQL cached generic plans that scanned the velocity table
#                through the wrong index, and a run ends before autovacuum's first pass.
#   BIN=path     (environment) serve with this binary instead of the fresh release build: an
#                A/B against another commit's build, alternating runs in one sitting.
# Prints one JSON line per run (requests/s, p50, p90, p99): the baseline, the Fraud API with 16
# connections and with one, then the fixed-rate run. Each line also carries the server process's
# CPU time per request it served during that run (`server_cpu_ms_per_request`, warm-up included;
# with --postgres, PostgreSQL's own processes are not in it): the server's own cost, apart from
# the client's and from queueing. On a shared virtual machine it still varies from run to run
# about as much as throughput (the cores' speed does), so compare medians of alternating runs.
# Stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
events=0; rate=1000; duration=15; warmup=2; throughput=1; postgres=; one_ip=0; one_device=0; deny_cidr=0; devices=120; per_user=0; fresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --events) events=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --skip-throughput) throughput=0; shift ;;
    --one-ip) one_ip=1; shift ;;
    --one-device) one_device=1; shift ;;
    --devices) devices=$2; shift 2 ;;
    --device-per-user) per_user=1; shift ;;
    --fresh-payloads) fresh=1; shift ;;
    --deny-cidr-entries) deny_cidr=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
cargo build --release -q -p sightline-server -p sightline-loadgen
bin=${BIN:-target/release/sightline}; loadgen=target/release/loadgen
work=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
url="sqlite://$work/bench.db"
tenant_in() {
  "$bin" --database-url "$1" --output json tenants create --name "bench-$$-$RANDOM" --mode live
}
created=$(tenant_in "$url")
tenant=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant"]["id"])')
key=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
echo "== history: $events events" >&2
"$loadgen" fill --database-url "$url" --tenant "$tenant" --events "$events" --bodies-out "$work/base.jsonl" \
  --deny-cidr-entries "$deny_cidr"
if [ -n "$postgres" ]; then
  url=$postgres
  created=$(tenant_in "$url")
  tenant=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant"]["id"])')
  key=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["api_key"])')
fi
"$bin" --database-url "$url" --log-level warn serve --listen 127.0.0.1:0 --no-demo \
  --rate-limit-per-second 1000000 --rate-limit-burst 1000000 >"$work/out.log" 2>"$work/err.log" &
pid=$!
for _ in $(seq 300); do grep -q '^listening on' "$work/out.log" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$work/out.log")
# Requests each run may send, with room to spare: with --fresh-payloads each gets its own body.
declare -A requests_of=([warmup]=0 [fraud_api]=0 [fraud_api_serial]=0 [fraud_api_at]=$(( rate * (duration + warmup) * 11 / 10 )))
[ -n "$postgres" ] && requests_of[warmup]=4000
[ "$throughput" = 1 ] && requests_of[fraud_api]=18000 && requests_of[fraud_api_serial]=6000
seeds=$(( (devices + 2) / 3 ))
copies=1
if [ "$fresh" = 1 ]; then
  total=0; for run in "${!requests_of[@]}"; do total=$(( total + requests_of[$run] )); done
  copies=$(( total / (seeds * 3) + 1 ))
fi
# Simulated devices across the three platforms, sealed to the tenant's key (valid 15 min),
# `copies` payloads each.
for seed in $(seq 1 "$seeds"); do
  for platform in web android ios; do
    "$bin" --database-url "$url" --output json simulate --tenant "$tenant" --platform "$platform" --seed "$seed" \
      --count "$copies"
  done
done >"$work/devices.jsonl"
python3 - "$work" "$one_ip" "$one_device" "$per_user" "$copies" "$fresh" \
  "${requests_of[warmup]}" "${requests_of[fraud_api]}" "${requests_of[fraud_api_serial]}" "${requests_of[fraud_api_at]}" <<'PY'
import json, sys, zlib
work, one_ip, one_device, per_user = sys.argv[1], sys.argv[2] == "1", sys.argv[3] == "1", sys.argv[4] == "1"
copies, fresh = int(sys.argv[5]), sys.argv[6] == "1"
sizes = dict(zip(["warmup", "fraud_api", "fraud_api_serial", "fraud_api_at"], map(int, sys.argv[7:11])))
sealed = [json.loads(l)["device_data"] for l in open(f"{work}/devices.jsonl") if l.strip()]
# The simulator printed each device's copies together.
pools = [sealed[d * copies:(d + 1) * copies] for d in range(len(sealed) // copies)]
used = [0] * len(pools)
base = [json.loads(l) for l in open(f"{work}/base.jsonl") if l.strip()]

def body(i):
    b = dict(base[i % len(base)])
    turn = zlib.crc32(str(b.get("user_id", i)).encode()) if per_user else i
    d = 0 if one_device else turn % len(pools)
    b["session"] = pools[d][used[d] % copies]
    if fresh:
        used[d] += 1
    if one_ip:
        b["ip"] = "203.0.113.7"
    return json.dumps(b) + "\n"

if fresh:
    for run, size in sizes.items():
        with open(f"{work}/bodies-{run}.jsonl", "w") as out:
            out.writelines(body(i) for i in range(size))
else:
    with open(f"{work}/bodies.jsonl", "w") as out:
        out.writelines(body(i) for i in range(len(base)))
PY
bodies_for() { if [ "$fresh" = 1 ]; then echo "$work/bodies-$1.jsonl"; else echo "$work/bodies.jsonl"; fi; }
ticks_per_s=$(getconf CLK_TCK)
server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
served() { curl -s "$base/metrics" | awk '/^http_requests_total/ {n += $NF} END {print n + 0}'; }
measured() {
  local ticks requests line
  ticks=$(server_cpu_ticks); requests=$(served)
  line=$("$loadgen" run "$@")
  python3 - "$line" "$ticks" "$(server_cpu_ticks)" "$requests" "$(served)" "$ticks_per_s" <<'PY'
import json, sys
line, (t0, t1, r0, r1, hz) = sys.argv[1], map(float, sys.argv[2:])
result = json.loads(line)
result["server_cpu_ms_per_request"] = round((t1 - t0) / hz * 1000 / max(r1 - r0, 1), 3)
print(json.dumps(result))
PY
}
if [ -n "$postgres" ]; then
  "$loadgen" run --label warmup --url "$base/v1/fraud-api" --key "$key" --bodies "$(bodies_for warmup)" --connections 4 --duration-secs 5 >/dev/null
  psql "$url" -qc ANALYZE
fi
if [ "$throughput" = 1 ]; then
  measured --label baseline --url "$base/v1/tenant" --key "$key" --connections 16 --duration-secs 10
  measured --label fraud_api --url "$base/v1/fraud-api" --key "$key" --bodies "$(bodies_for fraud_api)" --connections 16 --duration-secs 10
  # One request at a time: the latency of a decision when nothing else competes for the cores.
  measured --label fraud_api_serial --url "$base/v1/fraud-api" --key "$key" --bodies "$(bodies_for fraud_api_serial)" --connections 1 --duration-secs 5
fi
measured --label "fraud_api_at_${rate}" --url "$base/v1/fraud-api" --key "$key" --bodies "$(bodies_for fraud_api_at)" --rate "$rate" --duration-secs "$duration" --warmup-secs "$warmup"
