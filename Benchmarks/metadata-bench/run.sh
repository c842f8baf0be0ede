#!/usr/bin/env bash
# Metadata proxy benchmark on loopback: a release cirrus-metadata-proxy (plain listener,
# 127.0.0.1 trusted, so wrk simulates many instances with X-Forwarded-For), fed by a fake
# conductor (oslo.messaging) listing N instances, loaded with wrk.
# Usage: Benchmarks/metadata-bench/run.sh [N_CACHED=10000]
# Needs: CIRRUS_TEST_TRANSPORT_URL (scripts/rabbitmq.sh start --port 5693; ... url), wrk, the venv
# (scripts/venv.sh), and `swift build -c release --product cirrus-metadata-proxy`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
N=${1:-10000}
URL=${CIRRUS_TEST_TRANSPORT_URL:?set CIRRUS_TEST_TRANSPORT_URL}
PY=${CIRRUS_VENV:-$REPO/.venv}/bin/python
BIN=${CIRRUS_METADATA_PROXY:-$(cd "$REPO" && swift build -c release --show-bin-path)/cirrus-metadata-proxy}
DUR=${MD_DURATION:-10s}
EXCHANGE=mdbench_$RANDOM$RANDOM
NET=bench-net
PORT=${MD_PORT:-18775}
WORK=$(mktemp -d -t mdbench.XXXXXX)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # 1000 connections need > 1024 descriptors
cleanup() { kill "${PROXY_PID:-}" "${CONDUCTOR_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$PY" -W ignore "$HERE/fake_conductor.py" "$URL" "$EXCHANGE" "$N" "$NET" >"$WORK/conductor.log" 2>&1 &
CONDUCTOR_PID=$!
until grep -q ready "$WORK/conductor.log"; do sleep 0.2; kill -0 $CONDUCTOR_PID; done
cat >"$WORK/cirrus.conf" <<CONF
[DEFAULT]
transport_url = $URL
control_exchange = $EXCHANGE
state_path = $WORK/state
host = bench
[metadata]
listen = 127.0.0.1:$PORT
trusted_proxies = 127.0.0.1
netns_dir = $WORK/no-netns
workers = ${MD_WORKERS:-2}
memory_trim_interval = 5
rendered_cache_size = ${MD_RENDERED:-1024}
CONF
"$BIN" --config-file "$WORK/cirrus.conf" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
t0=$(date +%s.%N)
until grep -q "Instance cache refilled" "$WORK/proxy.log"; do sleep 0.2; kill -0 $PROXY_PID; done
echo "refill of $N instances: $(echo "$(date +%s.%N) - $t0" | bc) s (from process start)"
rss() { awk '/VmRSS/ {r=$2} /RssAnon/ {a=$2} END {printf "%.1f MB (anonymous %.1f MB, the rest shared library pages)", r/1024, a/1024}' /proc/$PROXY_PID/status; }
echo "RSS after refill ($N cached): $(rss)"

echo "== one crawl (28 requests, one keep-alive connection)"
"$PY" "$HERE/crawl_once.py" "$PORT" "$NET" 1
echo "== hot key /latest/meta-data/instance-id, 1000 instances, 64 connections"
MD_BASE=$((N >= 3000 ? N - 1000 : 0)) MD_PATHS=hot MD_INSTANCES=1000 MD_NETWORK=$NET wrk -t2 -c64 -d"$DUR" -s "$HERE/crawl.lua" "http://127.0.0.1:$PORT" | grep RESULT
echo "== warm-up: 1000 connections on the hot key for 2 s (not measured; the crawled instances stay cold)"
MD_BASE=$((N >= 3000 ? N - 1000 : 0)) MD_PATHS=hot MD_INSTANCES=1000 MD_NETWORK=$NET wrk -t2 -c1000 -d2s -s "$HERE/crawl.lua" "http://127.0.0.1:$PORT" | grep RESULT
command -v nstat >/dev/null && nstat -n   # TCP counters from here (handshake retries would show as tail latency)
B=$((N < 1000 ? N : 1000))
for c in 1 100 1000; do
    echo "== crawls, $c at once ($c connections; each crawl for the next of $B booting instances, first pass cold)"
    MD_INSTANCES=$B MD_NETWORK=$NET wrk -t$((c < 2 ? 1 : 2)) -c$c -d"$DUR" --timeout 10s -s "$HERE/crawl.lua" "http://127.0.0.1:$PORT" | grep RESULT
done
echo "== stream of new boots over all $N cached instances (rendered cache thrashes), 1000 connections"
MD_INSTANCES=$N MD_NETWORK=$NET wrk -t2 -c1000 -d"$DUR" --timeout 10s -s "$HERE/crawl.lua" "http://127.0.0.1:$PORT" | grep RESULT
sleep 6
echo "RSS after the runs (connections closed, after a malloc_trim): $(rss)"
command -v nstat >/dev/null && nstat -a TcpExtListenOverflows TcpExtListenDrops TcpExtTCPSynRetrans TcpExtTCPTimeouts | tail -n +2 | sed 's/^/tcp: /'
grep -c "rate limit" "$WORK/proxy.log" | sed 's/^/rate-limit log lines: /'
