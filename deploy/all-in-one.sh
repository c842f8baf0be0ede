#!/usr/bin/env bash
# Run all of Cirrus on this one machine, without systemd.
#   up      install packages, `swift build -c release`, start a private RabbitMQ (127.0.0.1:5672,
#           state in var/rabbitmq), write var/aio/cirrus.conf, start the five daemons in the
#           background, then ping their RPC topics. Idempotent: running daemons are left alone.
#   down    stop the daemons (TERM, KILL after 10 s) and RabbitMQ. Idempotent.
#   status  daemons, broker, RPC pings.
# Usage: deploy/all-in-one.sh up|down|status [--port N] [--no-build]
# Environment: CIRRUS_AIO_RABBITMQ_PORT (default 5672), CIRRUS_AIO_HOST (default: hostname -s).
# Files: var/aio/cirrus.conf, var/aio/logs/<daemon>.log, var/aio/pids/<daemon>.pid, var/aio/state/.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"
AIO=$REPO_ROOT/var/aio
CONF=$AIO/cirrus.conf
LOGS=$AIO/logs PIDS=$AIO/pids STATE=$AIO/state
PORT=${CIRRUS_AIO_RABBITMQ_PORT:-5672}
HOST=${CIRRUS_AIO_HOST:-$(hostname -s 2>/dev/null || hostname)}
DAEMONS=(cirrus-api cirrus-scheduler cirrus-compute cirrus-dhcp-agent cirrus-metadata-proxy)
# RPC topics to ping once the daemons run (cirrus rpc ping <topic>[.<host>]).
PING_TOPICS=(conductor scheduler "compute.$HOST" "dhcp_agent.$HOST" metadata)
PING_TIMEOUT=${CIRRUS_AIO_PING_TIMEOUT:-20}

cmd=${1:-}
[ $# -gt 0 ] && shift
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --port) PORT=${2:?--port needs a value}; shift ;;
        --no-build) BUILD=0 ;;
        *) echo "all-in-one.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

log() { echo "all-in-one: $*"; }
bin_dir() { swift build -c release --show-bin-path; }

# pid of a daemon we started, if that process still runs that binary.
daemon_pid() {
    local f=$PIDS/$1.pid p
    [ -s "$f" ] || return 0
    p=$(tr -dc '0-9' <"$f")
    if [ -n "$p" ] && kill -0 "$p" 2>/dev/null && tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "$1"; then
        echo "$p"
    fi
}

write_conf() {
    local url
    url=$(scripts/rabbitmq.sh url --port "$PORT")
    mkdir -p "$LOGS" "$PIDS" "$STATE"
    if [ -f "$CONF" ]; then
        # Keep local edits; only follow the broker URL.
        sed -i "s|^transport_url = .*|transport_url = $url|" "$CONF"
        return
    fi
    cat >"$CONF" <<EOF
# Written by deploy/all-in-one.sh for a single-machine deployment; edits are kept (only
# transport_url is rewritten on "up"). Reference: deploy/cirrus.conf.sample.
[DEFAULT]
transport_url = $url
host = $HOST
state_path = $STATE
debug = true
report_interval = 10
service_down_time = 60
log_format = oslo

[oslo_messaging_rabbit]
heartbeat_timeout_threshold = 60
rabbit_retry_interval = 1
rabbit_interval_max = 30

[upgrade_levels]
EOF
    log "wrote $CONF"
}

start_daemons() {
    local bin d pid
    bin=$(bin_dir)
    for d in "${DAEMONS[@]}"; do
        pid=$(daemon_pid "$d")
        if [ -n "$pid" ]; then log "$d already running (pid $pid)"; continue; fi
        [ -x "$bin/$d" ] || { echo "all-in-one: $bin/$d missing (build failed?)" >&2; return 1; }
        echo "=== $(date -u +%FT%TZ) all-in-one start" >>"$LOGS/$d.log"
        setsid "$bin/$d" --config-file "$CONF" >>"$LOGS/$d.log" 2>&1 </dev/null &
        echo "$!" >"$PIDS/$d.pid"
        log "started $d (pid $!, log var/aio/logs/$d.log)"
    done
}

# Prints one line per daemon; returns 1 if any is not running.
daemons_status() {
    local d pid rc=0
    for d in "${DAEMONS[@]}"; do
        pid=$(daemon_pid "$d")
        if [ -n "$pid" ]; then
            printf '  %-22s running (pid %s)\n' "$d" "$pid"
        elif [ -f "$PIDS/$d.pid" ]; then
            printf '  %-22s DEAD (see var/aio/logs/%s.log)\n' "$d" "$d"; rc=1
            tail -n 5 "$LOGS/$d.log" 2>/dev/null | sed 's/^/      | /'
        else
            printf '  %-22s stopped\n' "$d"; rc=1
        fi
    done
    return "$rc"
}

ping_topics() {
    local cli rc=0 t out
    cli=$(bin_dir)/cirrus
    [ -x "$cli" ] || { echo "  (no $cli: build first)"; return 1; }
    for t in "${PING_TOPICS[@]}"; do
        if out=$(CIRRUS_TRANSPORT_URL=$(scripts/rabbitmq.sh url --port "$PORT") \
            timeout "$PING_TIMEOUT" "$cli" rpc ping "$t" --count 1 --config-file "$CONF" 2>&1 </dev/null); then
            printf '  ping %-28s ok   %s\n' "$t" "$(tail -n 1 <<<"$out")"
        else
            printf '  ping %-28s FAIL %s\n' "$t" "$(tail -n 1 <<<"$out")"; rc=1
        fi
    done
    return "$rc"
}

stop_daemons() {
    local d pid i left
    local -a pids=()
    for d in "${DAEMONS[@]}"; do
        pid=$(daemon_pid "$d")
        if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); log "stopping $d (pid $pid)"; fi
    done
    for ((i = 0; i < 100; i++)); do
        left=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
        [ "$left" -eq 0 ] && break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid ignored SIGTERM for 10 s: KILL"; kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    rm -f "$PIDS"/*.pid
}

case "$cmd" in
    up)
        scripts/install-deps.sh
        if [ "$BUILD" -eq 1 ]; then
            mkdir -p "$LOGS"
            log "swift build -c release (log: var/aio/logs/build.log; first build takes minutes)"
            if ! swift build -c release >"$LOGS/build.log" 2>&1; then
                grep -E '(error|fatal error):' "$LOGS/build.log" | head -n 40 >&2 || true
                tail -n 20 "$LOGS/build.log" >&2
                echo "all-in-one: release build failed" >&2; exit 1
            fi
        fi
        scripts/rabbitmq.sh start --port "$PORT"
        write_conf
        start_daemons
        sleep "${CIRRUS_AIO_SETTLE:-3}"
        echo "daemons:"; rc=0
        daemons_status || rc=1
        echo "rpc:"
        ping_topics || rc=1
        echo "broker: $(scripts/rabbitmq.sh url --port "$PORT")   config: $CONF   logs: $LOGS/"
        if [ "$rc" -eq 0 ]; then log "up"; else log "up, with problems (see above)"; fi
        exit "$rc"
        ;;
    down)
        stop_daemons
        scripts/rabbitmq.sh stop --port "$PORT"
        log "down"
        ;;
    status)
        rc=0
        echo "daemons:"; daemons_status || rc=1
        echo "broker:"; scripts/rabbitmq.sh status --port "$PORT" | sed 's/^/  /' || rc=1
        if scripts/rabbitmq.sh status --port "$PORT" >/dev/null 2>&1 && [ -f "$CONF" ]; then
            echo "rpc:"; ping_topics || rc=1
        fi
        exit "$rc"
        ;;
    -h|--help|help) sed -n '2,11s/^# \{0,1\}//p' "$0" ;;
    *) sed -n '2,11s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
