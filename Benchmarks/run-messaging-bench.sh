#!/usr/bin/env bash
# Messaging benchmark (BENCHMARKS.md): builds cirrus-bench (release), prepares a Python venv
# with oslo.messaging (scripts/venv.sh when present), starts a private RabbitMQ on 127.0.0.1:$PORT
# (scripts/rabbitmq.sh when present, else directly per docs/platform.md), runs every measurement
# against that one broker, prints a Markdown table (measured vs target) and stops the broker.
#
#   Benchmarks/run-messaging-bench.sh            # defaults below
#   ROUNDS=1 CALLS=5000 Benchmarks/run-messaging-bench.sh
#
# Knobs (environment): PORT (5699), ROUNDS (3; each figure is the median over rounds),
# RAW_CALLS (20000), CALLS (20000), CONC_CALLS (100000), CONCURRENCY (64), CASTS (50000),
# CAST_CONCURRENCY (64), OSLO_CALLS (2000), OSLO_CASTS (5000), IDLE_SECONDS (5),
# TRANSPORT_URL (skip the private broker and use this one), SKIP_BUILD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PORT=${PORT:-5699}
ROUNDS=${ROUNDS:-3}
RAW_CALLS=${RAW_CALLS:-20000}
CALLS=${CALLS:-20000}
CONC_CALLS=${CONC_CALLS:-100000}
CONCURRENCY=${CONCURRENCY:-64}
CASTS=${CASTS:-50000}
CAST_CONCURRENCY=${CAST_CONCURRENCY:-64}
OSLO_CALLS=${OSLO_CALLS:-2000}
OSLO_CASTS=${OSLO_CASTS:-5000}
IDLE_SECONDS=${IDLE_SECONDS:-5}
SCRATCH=$ROOT/.build-release
BENCH=$SCRATCH/release/cirrus-bench
STATE=$ROOT/var/bench-rabbitmq
OUT=$ROOT/var/bench-results
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$OUT/messaging-$STAMP.jsonl
LOG=$OUT/messaging-$STAMP.log
: >"$RESULTS"

say() { printf '== %s\n' "$*" >&2; }

# ---------------------------------------------------------------- build
if [[ -z "${SKIP_BUILD:-}" ]]; then
    say "building cirrus-bench (release, scratch $SCRATCH)"
    swift build -c release --product cirrus-bench --scratch-path "$SCRATCH" >&2
fi
[[ -x "$BENCH" ]] || { echo "missing $BENCH" >&2; exit 1; }

# ---------------------------------------------------------------- python
if [[ -x scripts/venv.sh ]]; then
    say "python venv via scripts/venv.sh"
    scripts/venv.sh >&2
    PY=$ROOT/.venv/bin/python
else
    PY=$ROOT/var/bench-venv/bin/python
    if ! "$PY" -c 'import oslo_messaging' 2>/dev/null; then
        say "python venv var/bench-venv with oslo.messaging"
        python3 -m venv "$ROOT/var/bench-venv"
        "$ROOT/var/bench-venv/bin/pip" install -q oslo.messaging >&2
    fi
fi
"$PY" -c 'import oslo_messaging' || { echo "oslo.messaging not importable with $PY" >&2; exit 1; }
OSLO_VERSION=$("$PY" -c 'from importlib.metadata import version; print(version("oslo.messaging"))')

# ---------------------------------------------------------------- broker
BROKER_STARTED=""
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill -TERM "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
    if [[ "$BROKER_STARTED" == script ]]; then
        say "stopping RabbitMQ on port $PORT"
        scripts/rabbitmq.sh stop --port "$PORT" --dir "$STATE" >&2 || true
    elif [[ "$BROKER_STARTED" == self ]]; then
        say "stopping RabbitMQ on port $PORT"
        # epmd is shared with any other node on this machine: leave it running.
        if [[ -f "$STATE/rabbit.pid" ]]; then kill -TERM "$(cat "$STATE/rabbit.pid")" 2>/dev/null || true; fi
        for _ in $(seq 50); do
            [[ -f "$STATE/rabbit.pid" ]] && kill -0 "$(cat "$STATE/rabbit.pid")" 2>/dev/null || break
            sleep 0.2
        done
    fi
}
trap cleanup EXIT

rabbit_env() {
    export HOME=$STATE RABBITMQ_NODENAME=cirrusbench$PORT@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT=$PORT RABBITMQ_DIST_PORT=$((PORT + 20000)) ERL_EPMD_ADDRESS=127.0.0.1 \
        RABBITMQ_MNESIA_BASE=$STATE/mnesia RABBITMQ_LOG_BASE=$STATE/log RABBITMQ_PID_FILE=$STATE/rabbit.pid \
        RABBITMQ_ENABLED_PLUGINS_FILE=$STATE/enabled_plugins RABBITMQ_CONFIG_FILE=$STATE/rabbitmq
}

if [[ -n "${TRANSPORT_URL:-}" ]]; then
    URL=$TRANSPORT_URL
    RABBIT_VERSION="(external broker)"
    BEAM_PID=""
elif [[ -x scripts/rabbitmq.sh ]]; then
    say "starting RabbitMQ via scripts/rabbitmq.sh on 127.0.0.1:$PORT (state in $STATE)"
    scripts/rabbitmq.sh start --port "$PORT" --dir "$STATE" >&2
    BROKER_STARTED=script
    URL=$(scripts/rabbitmq.sh url --port "$PORT" --dir "$STATE")
    RABBIT_VERSION=$(scripts/rabbitmq.sh ctl --port "$PORT" --dir "$STATE" -- -q version 2>/dev/null || echo "?")
    BEAM_PID=$(tr -dc '0-9' <"$STATE/cirrus-$PORT.pid" 2>/dev/null || echo "")
else
    URL="rabbit://guest:guest@127.0.0.1:$PORT/"
    mkdir -p "$STATE/mnesia" "$STATE/log"
    echo '[].' >"$STATE/enabled_plugins"
    printf 'listeners.tcp.default = %s\nloopback_users.guest = true\n' "$PORT" >"$STATE/rabbitmq.conf"
    (
        rabbit_env
        if [[ -f "$RABBITMQ_PID_FILE" ]] && kill -0 "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null; then
            echo "a bench broker is already running (pid $(cat "$RABBITMQ_PID_FILE")); stop it first" >&2
            exit 1
        fi
        say "starting RabbitMQ on 127.0.0.1:$PORT (state in $STATE)"
        setsid /usr/lib/rabbitmq/bin/rabbitmq-server >"$STATE/console.out" 2>&1 </dev/null &
        for _ in $(seq 60); do
            /usr/lib/rabbitmq/bin/rabbitmqctl -q await_startup >/dev/null 2>&1 && exit 0
            sleep 1
        done
        echo "RabbitMQ did not start; see $STATE/console.out" >&2
        exit 1
    )
    BROKER_STARTED=self
    RABBIT_VERSION=$(rabbit_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q version 2>/dev/null || echo "?")
    BEAM_PID=$(cat "$STATE/rabbit.pid" 2>/dev/null || echo "")
fi

# CPU ticks (utime+stime) of a pid, 0 when unknown.
ticks() { [[ -n "$1" && -r /proc/$1/stat ]] && awk '{print $14+$15}' "/proc/$1/stat" || echo 0; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Runs a measuring command, appends its RESULT line (plus server/broker CPU) to $RESULTS.
measure() {
    local round=$1; shift
    local s0 b0 s1 b1 line
    s0=$(ticks "$SERVER_PID"); b0=$(ticks "$BEAM_PID")
    line=$("$@" 2>>"$LOG" | tee -a "$LOG" | grep '^RESULT ' | tail -1 | sed 's/^RESULT //')
    s1=$(ticks "$SERVER_PID"); b1=$(ticks "$BEAM_PID")
    if [[ -z "$line" ]]; then echo "measurement failed: $*" >&2; return 1; fi
    printf '%s\n' "$line" | "$PY" -c '
import json, sys
r = json.loads(sys.stdin.read())
r["round"] = int(sys.argv[1]); r["server_cpu_s"] = (int(sys.argv[2]) - int(sys.argv[3])) / 100.0
r["broker_cpu_s"] = (int(sys.argv[4]) - int(sys.argv[5])) / 100.0
print(json.dumps(r))' "$round" "$s1" "$s0" "$b1" "$b0" >>"$RESULTS"
    printf '%s\n' "$line" | "$PY" -c 'import json,sys; r=json.loads(sys.stdin.read()); print("   %-16s %9.0f/s  p50 %6.0f us  p99 %6.0f us" % (r["kind"], r["ratePerSecond"], r["p50us"], r["p99us"]))' >&2
}

# ---------------------------------------------------------------- idle RSS
say "idle RSS: cirrus-bench server idle for ${IDLE_SECONDS}s"
coproc IDLE { exec "$BENCH" server --transport-url "$URL" --topic cirrus_bench_idle; }
IDLE_PID=$IDLE_PID
read -r -t 30 ready <&"${IDLE[0]}" || true
sleep "$IDLE_SECONDS"
IDLE_RSS_KB=$(rss_kb "$IDLE_PID")
IDLE_THREADS=$(awk '/^Threads:/ {print $2}' "/proc/$IDLE_PID/status")
kill -TERM "$IDLE_PID"; wait "$IDLE_PID" 2>/dev/null || true
echo "{\"kind\": \"idle-rss\", \"rss_kb\": $IDLE_RSS_KB, \"threads\": $IDLE_THREADS, \"process\": \"cirrus-bench server\"}" >>"$RESULTS"
say "   idle RSS ${IDLE_RSS_KB} kB, ${IDLE_THREADS} threads (ready line: ${ready:-none})"

# ---------------------------------------------------------------- measurements
say "starting Cirrus RPC server"
coproc SRV { exec "$BENCH" server --transport-url "$URL" --topic cirrus_bench; }
SERVER_PID=$SRV_PID
read -r -t 30 ready <&"${SRV[0]}" || { echo "server did not become ready" >&2; exit 1; }

for round in $(seq "$ROUNDS"); do
    say "round $round/$ROUNDS"
    measure "$round" "$BENCH" raw --transport-url "$URL" --count "$RAW_CALLS"
    measure "$round" "$BENCH" raw --oslo-topology --transport-url "$URL" --count "$RAW_CALLS"
    measure "$round" "$BENCH" call --transport-url "$URL" --topic cirrus_bench --count "$CALLS" --concurrency 1
    measure "$round" "$BENCH" call --transport-url "$URL" --topic cirrus_bench --count "$CONC_CALLS" --concurrency "$CONCURRENCY"
    measure "$round" "$BENCH" cast --transport-url "$URL" --topic cirrus_bench --count "$CASTS" --concurrency "$CAST_CONCURRENCY"
    measure "$round" "$PY" "$ROOT/Benchmarks/oslo_bench.py" --url "$URL" --mode call --count "$OSLO_CALLS"
    measure "$round" "$PY" "$ROOT/Benchmarks/oslo_bench.py" --url "$URL" --mode cast --count "$OSLO_CASTS"
done
say "wire-format CPU per call (no broker)"
"$BENCH" codec --count 20000 | tee -a "$LOG" | grep '^RESULT ' | sed 's/^RESULT //' >>"$RESULTS"
LOADED_RSS_KB=$(rss_kb "$SERVER_PID")
echo "{\"kind\": \"loaded-rss\", \"rss_kb\": $LOADED_RSS_KB}" >>"$RESULTS"

# ---------------------------------------------------------------- report
"$PY" - "$RESULTS" "$RABBIT_VERSION" "$OSLO_VERSION" "$ROUNDS" <<'PYEOF'
import json, os, statistics, sys, platform, datetime
path, rabbit, oslo, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rows = [json.loads(l) for l in open(path) if l.strip()]
def runs(kind, conc=None):
    return [r for r in rows if r["kind"] == kind and (conc is None or r.get("concurrency") == conc)]
def med(rs, key, extra=False):
    vals = [(r["extra"][key] if extra else r[key]) for r in rs]
    return statistics.median(vals) if vals else float("nan")
def spread(rs, key):
    vals = sorted(r[key] for r in rs)
    return "%s" % " / ".join("%.0f" % v for v in vals)
raw, seq, conc, cast = runs("raw"), runs("call"), runs("call-concurrent"), runs("cast")
raw_oslo = runs("raw-oslo")
ocall, ocast = runs("oslo-call"), runs("oslo-cast")
idle = runs("idle-rss")[0]
loaded = runs("loaded-rss")
raw_rate, seq_rate = med(raw, "ratePerSecond"), med(seq, "ratePerSecond")
oslo_rate = med(ocall, "ratePerSecond")
def ok(b): return "PASS" if b else "MISS"
def per_op_cpu(rs, key):
    return statistics.median([r[key] / r["count"] * 1e6 for r in rs]) if rs else float("nan")
print()
print("| Measurement | Measured (median of %s) | Runs (calls/s or msgs/s) | Target | Result |" % rounds)
print("|---|---|---|---|---|")
print("| Raw librabbitmq request/reply (floor) | %.0f calls/s, p50 %.0f µs, p99 %.0f µs | %s | — | floor |" % (
    raw_rate, med(raw, "p50us"), med(raw, "p99us"), spread(raw, "ratePerSecond")))
if raw_oslo:
    print("| Raw librabbitmq request/reply, oslo topology (durable topic exchange and queue, per-message TTL, mandatory reply) | %.0f calls/s, p50 %.0f µs, p99 %.0f µs | %s | — | floor for an oslo-compatible client |" % (
        med(raw_oslo, "ratePerSecond"), med(raw_oslo, "p50us"), med(raw_oslo, "p99us"), spread(raw_oslo, "ratePerSecond")))
print("| Cirrus sequential `call` | %.0f calls/s (%.0f %% of floor), p50 %.0f µs, p99 %.0f µs | %s | ≥ 80 %% of floor, p99 < 1 ms | %s |" % (
    seq_rate, 100 * seq_rate / raw_rate, med(seq, "p50us"), med(seq, "p99us"), spread(seq, "ratePerSecond"),
    ok(seq_rate >= 0.8 * raw_rate and med(seq, "p99us") < 1000)))
# Per round, Cirrus against the floor measured just before it (the machine's speed drifts).
pairs = [(s_["ratePerSecond"], r_["ratePerSecond"]) for s_ in seq for r_ in raw if r_["round"] == s_["round"]]
if pairs:
    print("| … per round (Cirrus / floor of the same round) | %s | | ≥ 80 %% | |" % " / ".join("%.0f %%" % (100 * a / b) for a, b in pairs))
print("| Cirrus sequential `call` vs oslo.messaging | %.1f× (%.0f vs %.0f calls/s) | | ≥ 10× | %s |" % (
    seq_rate / oslo_rate, seq_rate, oslo_rate, ok(seq_rate >= 10 * oslo_rate)))
c = conc[0]["concurrency"] if conc else 0
print("| Cirrus `call`, %d concurrent callers | %.0f calls/s, p50 %.0f µs, p99 %.0f µs | %s | ≥ 15,000 calls/s | %s |" % (
    c, med(conc, "ratePerSecond"), med(conc, "p50us"), med(conc, "p99us"), spread(conc, "ratePerSecond"),
    ok(med(conc, "ratePerSecond") >= 15000)))
cc = cast[0]["concurrency"] if cast else 0
print("| Cirrus `cast`, confirmed (%d outstanding) | %.0f casts/s confirmed, %.0f/s consumed end to end | %s | ≥ 12,000/s confirmed | %s |" % (
    cc, med(cast, "ratePerSecond"), med(cast, "consumed_per_s", True), spread(cast, "ratePerSecond"),
    ok(med(cast, "ratePerSecond") >= 12000)))
print("| oslo.messaging sequential call (Python) | %.0f calls/s, p50 %.0f µs, p99 %.0f µs | %s | reference | — |" % (
    oslo_rate, med(ocall, "p50us"), med(ocall, "p99us"), spread(ocall, "ratePerSecond")))
print("| oslo.messaging sequential cast (Python, unconfirmed) | %.0f casts/s published, %.0f/s consumed end to end | %s | reference | — |" % (
    med(ocast, "ratePerSecond"), med(ocast, "consumed_per_s", True), spread(ocast, "ratePerSecond")))
print("| Idle daemon RSS (`%s`, after %ss) | %.1f MB (%d threads) | | ≤ 30 MB | %s |" % (
    idle["process"], os.environ.get("IDLE_SECONDS", "5"), idle["rss_kb"] / 1024, idle["threads"], ok(idle["rss_kb"] <= 30 * 1024)))
print()
print("CPU per operation (median over rounds; client = bench process, server = cirrus-bench server, broker = beam.smp):")
print()
print("| Run | client µs/op | server µs/op | broker µs/op |")
print("|---|---|---|---|")
for name, rs, ck in [("sequential call", seq, "client_cpu_us_per_call"), ("%d callers" % c, conc, "client_cpu_us_per_call"),
                     ("cast", cast, "client_cpu_us_per_cast")]:
    if rs:
        print("| %s | %.0f | %.0f | %.0f |" % (name, med(rs, ck, True), per_op_cpu(rs, "server_cpu_s"), per_op_cpu(rs, "broker_cpu_s")))
if raw:
    print("| raw floor | %.0f (client and responder together) | — | %.0f |" % (
        med(raw, "process_cpu_us_per_call", True), per_op_cpu(raw, "broker_cpu_s")))
if raw_oslo:
    print("| raw floor, oslo topology | %.0f (client and responder together) | — | %.0f |" % (
        med(raw_oslo, "process_cpu_us_per_call", True), per_op_cpu(raw_oslo, "broker_cpu_s")))
codec = {r["kind"][6:]: r["us"] for r in rows if r["kind"].startswith("codec-")}
if codec:
    print()
    print("Wire-format CPU per call, no broker (`cirrus-bench codec`): " + ", ".join("%s %.1f µs" % kv for kv in codec.items()) + ".")
print()
print("Cirrus server RSS after the load: %.1f MB." % (loaded[0]["rss_kb"] / 1024) if loaded else "")
print("Date %s; %s; nproc %d; RabbitMQ %s; oslo.messaging %s; Python %s; raw payload %d bytes (= a Cirrus echo call body)." % (
    datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), platform.platform(), os.cpu_count(),
    rabbit, oslo, platform.python_version(), raw[0]["extra"]["payload_bytes"] if raw else 0))
print("Raw results: %s" % path)
PYEOF
