#!/usr/bin/env bash
# A private RabbitMQ broker for Cirrus development and tests (no systemd needed).
#
# Usage: scripts/rabbitmq.sh start|stop|restart|status|url|env|ctl [--dir DIR] [--port N] [-- ctl-args...]
#   start    start the broker in the background and wait until it accepts AMQP (no-op if up);
#            ensures vhost `cirrus` and user cirrus/cirrus (guest keeps working on `/`)
#   stop     TERM the broker, wait, KILL after 30 s; stops epmd only if we started it (idempotent)
#   status   print state; exit 0 when running, 3 when stopped
#   url      print the transport URL: rabbit://cirrus:cirrus@127.0.0.1:<port>/cirrus
#   env      print `export ...` lines; `eval "$(scripts/rabbitmq.sh env)"` lets you run
#            /usr/lib/rabbitmq/bin/rabbitmqctl against this broker yourself
#   ctl ...  run rabbitmqctl against this broker, e.g. `scripts/rabbitmq.sh ctl list_queues -p cirrus`
#
# Options (or environment): --dir DIR (CIRRUS_RABBITMQ_DIR, default <repo>/var/rabbitmq),
#   --port N (CIRRUS_RABBITMQ_PORT, default 5672; Erlang distribution port is N+20000).
# Everything binds to 127.0.0.1. Node name cirrus-<port>@localhost, so brokers on different
# ports can share one DIR. State: DIR/mnesia, logs: DIR/log, pid: DIR/cirrus-<port>.pid.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RMQ_BIN=${CIRRUS_RABBITMQ_BIN:-/usr/lib/rabbitmq/bin}
DIR=${CIRRUS_RABBITMQ_DIR:-$REPO_ROOT/var/rabbitmq}
PORT=${CIRRUS_RABBITMQ_PORT:-5672}
START_TIMEOUT=${CIRRUS_RABBITMQ_START_TIMEOUT:-60}
VHOST=cirrus USER_NAME=cirrus USER_PASS=cirrus

usage() { sed -n '2,18s/^# \{0,1\}//p' "$0"; }
die() { echo "rabbitmq.sh: $*" >&2; exit 1; }
log() { echo "rabbitmq.sh: $*" >&2; }

cmd=${1:-}
[ -n "$cmd" ] || { usage >&2; exit 2; }
shift
CTL_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
        --dir=*) DIR=${1#--dir=}; shift ;;
        --port) PORT=${2:?--port needs a value}; shift 2 ;;
        --port=*) PORT=${1#--port=}; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; CTL_ARGS+=("$@"); break ;;
        *) if [ "$cmd" = ctl ]; then CTL_ARGS+=("$1"); shift; else die "unknown argument: $1"; fi ;;
    esac
done
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 45535 ]; then
    die "--port must be 1..45535 (distribution port is port+20000), got '$PORT'"
fi

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
NODE=cirrus-$PORT@localhost
PID_FILE=$DIR/cirrus-$PORT.pid            # written by RabbitMQ itself once booted
LAUNCH_PID_FILE=$DIR/cirrus-$PORT.launcher.pid   # the setsid'd launcher, before the above exists
# epmd is shared by every Erlang node on the machine: one marker per epmd port, shared by all
# our brokers, says "a Cirrus broker started it", so the last of them to stop also stops it.
EPMD_MARK=${TMPDIR:-/tmp}/cirrus-rabbitmq-epmd-${ERL_EPMD_PORT:-4369}.started-by-cirrus
CONSOLE=$DIR/log/cirrus-$PORT.console.out
URL="rabbit://$USER_NAME:$USER_PASS@127.0.0.1:$PORT/$VHOST"

# Every variable the server and the CLI must agree on (HOME holds the Erlang cookie).
export HOME=$DIR
export RABBITMQ_NODENAME=$NODE
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$PORT
export RABBITMQ_DIST_PORT=$((PORT + 20000))
export ERL_EPMD_ADDRESS=127.0.0.1
export ERL_EPMD_PORT=${ERL_EPMD_PORT:-4369}
export RABBITMQ_MNESIA_BASE=$DIR/mnesia
export RABBITMQ_LOG_BASE=$DIR/log
export RABBITMQ_PID_FILE=$PID_FILE
export RABBITMQ_ENABLED_PLUGINS_FILE=$DIR/enabled_plugins
export RABBITMQ_CONFIG_FILE=$DIR/cirrus-$PORT        # RabbitMQ appends .conf
export RABBITMQ_ADVANCED_CONFIG_FILE=$DIR/advanced.config
export RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf  # ours (empty), not /etc/rabbitmq's
# Erlang distribution (server and CLI) on loopback only, like AMQP and epmd.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

ctl() { "$RMQ_BIN/rabbitmqctl" "$@"; }

write_config() {
    mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    [ -f "$RABBITMQ_ENABLED_PLUGINS_FILE" ] || echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    [ -f "$RABBITMQ_CONF_ENV_FILE" ] || echo '# intentionally empty: scripts/rabbitmq.sh exports everything' >"$RABBITMQ_CONF_ENV_FILE"
    [ -f "$RABBITMQ_ADVANCED_CONFIG_FILE" ] || echo '[].' >"$RABBITMQ_ADVANCED_CONFIG_FILE"
    cat >"$RABBITMQ_CONFIG_FILE.conf" <<EOF
# Written by scripts/rabbitmq.sh; rewritten on every start.
listeners.tcp.1 = 127.0.0.1:$PORT
# guest/guest keeps working from localhost (the default); we only listen on 127.0.0.1 anyway.
loopback_users.guest = true
# Keep small dev disks from raising a disk alarm that blocks all publishers.
disk_free_limit.absolute = 50MB
vm_memory_high_watermark.relative = 0.6
log.console = false
log.file.level = info
heartbeat = 60
EOF
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
read_pid() { if [ -s "$1" ]; then tr -dc '0-9' <"$1"; fi; }

# The broker's pid: RabbitMQ's pid file, else (still booting) the launcher we started, else
# nothing. A pid file naming a dead process means the broker died: its launcher shell is on its
# way out too, so give it a moment and report nothing.
broker_pid() {
    local p l i
    p=$(read_pid "$PID_FILE")
    l=$(read_pid "$LAUNCH_PID_FILE")
    if [ -n "$p" ]; then
        if pid_alive "$p"; then echo "$p"; return; fi
        for ((i = 0; i < 50; i++)); do pid_alive "$l" || break; sleep 0.1; done
        return 0
    fi
    if pid_alive "$l"; then echo "$l"; fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

epmd_up() { epmd -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1; }

ensure_users() {
    # Each rabbitmqctl call costs ~1 s: look first, change only what is missing.
    local vhosts users
    vhosts=$(ctl -q list_vhosts name 2>/dev/null) || die "rabbitmqctl list_vhosts failed"
    users=$(ctl -q list_users 2>/dev/null | awk '{print $1}') || die "rabbitmqctl list_users failed"
    if ! grep -qx "$VHOST" <<<"$vhosts"; then
        ctl -q add_vhost "$VHOST" >/dev/null
    fi
    if ! grep -qx "$USER_NAME" <<<"$users"; then
        ctl -q add_user "$USER_NAME" "$USER_PASS" >/dev/null
        ctl -q set_user_tags "$USER_NAME" administrator >/dev/null
    fi
    if ! grep -qx "$VHOST" <<<"$vhosts" || ! grep -qx "$USER_NAME" <<<"$users"; then
        ctl -q set_permissions -p "$VHOST" "$USER_NAME" '.*' '.*' '.*' >/dev/null
        ctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*' >/dev/null 2>&1 || true
    fi
}

fail_start() {
    log "$1"
    log "--- tail of $CONSOLE ---"
    tail -n 30 "$CONSOLE" >&2 2>/dev/null || true
    local lf=$RABBITMQ_LOG_BASE/$NODE.log
    if [ -f "$lf" ]; then log "--- tail of $lf ---"; tail -n 30 "$lf" >&2; fi
    exit 1
}

do_start() {
    local pid
    pid=$(broker_pid)
    if [ -n "$pid" ]; then
        if ctl -q -t 10 await_startup >/dev/null 2>&1; then
            ensure_users
            log "already running (pid $pid, node $NODE, port $PORT)"
            return 0
        fi
        # Alive but not answering yet (a concurrent start): fall through to the wait loop.
    else
        rm -f "$PID_FILE" "$LAUNCH_PID_FILE"
        if port_open "$PORT"; then
            # Something listens there. Is it our node, started with its pid file lost?
            if ctl -q -t 5 await_startup >/dev/null 2>&1; then
                ctl -q eval 'list_to_integer(os:getpid()).' >"$PID_FILE" 2>/dev/null || true
                ensure_users
                log "already running (node $NODE, port $PORT; adopted)"
                return 0
            fi
            die "port 127.0.0.1:$PORT is already in use by another process; pick another --port"
        fi
        if port_open "$RABBITMQ_DIST_PORT"; then
            die "distribution port 127.0.0.1:$RABBITMQ_DIST_PORT is in use; pick another --port"
        fi
        write_config
        epmd_up || touch "$EPMD_MARK"
        {
            echo "=== $(date -u +%FT%TZ) rabbitmq.sh start (node $NODE, port $PORT)"
        } >>"$CONSOLE"
        setsid "$RMQ_BIN/rabbitmq-server" >>"$CONSOLE" 2>&1 </dev/null &
        pid=$!
        echo "$pid" >"$LAUNCH_PID_FILE"
    fi

    local deadline=$((SECONDS + START_TIMEOUT))
    until ctl -q -t 5 await_startup >/dev/null 2>&1; do
        # Early calls fail with rc 69 instead of waiting: poll.
        pid_alive "$pid" || fail_start "broker process $pid exited during start-up"
        [ "$SECONDS" -lt "$deadline" ] || fail_start "broker not ready after ${START_TIMEOUT}s"
        sleep 1
    done
    ensure_users
    log "started node $NODE on 127.0.0.1:$PORT (pid $(read_pid "$PID_FILE"), state in $DIR)"
}

do_stop() {
    local pid
    pid=$(broker_pid)
    if [ -z "$pid" ]; then
        log "not running (node $NODE)"
    else
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 300; i++)); do
            pid_alive "$pid" || break
            sleep 0.1
        done
        if pid_alive "$pid"; then
            log "broker pid $pid did not stop after 30 s; sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.5
        fi
        # The launcher shell (if any) exits with beam; tidy up its pid too.
        local lp
        lp=$(read_pid "$LAUNCH_PID_FILE")
        if [ -n "$lp" ] && [ "$lp" != "$pid" ] && pid_alive "$lp"; then
            kill -TERM "$lp" 2>/dev/null || true
        fi
        log "stopped node $NODE (pid $pid)"
    fi
    rm -f "$PID_FILE" "$LAUNCH_PID_FILE"
    # epmd: only if one of our brokers started it and no Erlang node is still registered.
    if [ -f "$EPMD_MARK" ]; then
        if ! epmd_up; then
            rm -f "$EPMD_MARK"
        elif ! epmd -port "$ERL_EPMD_PORT" -names 2>/dev/null | grep -q '^name '; then
            epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
            rm -f "$EPMD_MARK"
        fi
    fi
}

do_status() {
    local pid
    pid=$(broker_pid)
    if [ -n "$pid" ] && port_open "$PORT"; then
        echo "running: node $NODE pid $pid amqp 127.0.0.1:$PORT dir $DIR"
        echo "url: $URL"
        return 0
    elif [ -n "$pid" ]; then
        echo "starting (or unhealthy): node $NODE pid $pid, port $PORT not accepting yet; dir $DIR"
        return 3
    fi
    echo "stopped: node $NODE (dir $DIR)"
    return 3
}

case "$cmd" in
    start) do_start ;;
    stop) do_stop ;;
    restart) do_stop; do_start ;;
    status) do_status ;;
    url) echo "$URL" ;;
    env)
        for v in HOME RABBITMQ_NODENAME RABBITMQ_NODE_IP_ADDRESS RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT \
            ERL_EPMD_ADDRESS ERL_EPMD_PORT RABBITMQ_MNESIA_BASE RABBITMQ_LOG_BASE RABBITMQ_PID_FILE \
            RABBITMQ_ENABLED_PLUGINS_FILE RABBITMQ_CONFIG_FILE RABBITMQ_ADVANCED_CONFIG_FILE \
            RABBITMQ_CONF_ENV_FILE RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS RABBITMQ_CTL_ERL_ARGS; do
            printf 'export %s=%q\n' "$v" "${!v}"
        done
        # shellcheck disable=SC2016 # $PATH is for the eval-ing shell to expand
        printf 'export PATH=%q:"$PATH"\n' "$RMQ_BIN"
        printf 'export CIRRUS_TRANSPORT_URL=%q\n' "$URL"
        ;;
    ctl) ctl "${CTL_ARGS[@]}" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
