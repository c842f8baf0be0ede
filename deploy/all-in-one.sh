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
OPENRC=$AIO/openrc
API_PORT=${CIRRUS_AIO_API_PORT:-8774}
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
    if [ -f "$CONF" ] && grep -q "^\[api\]" "$CONF"; then
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

[compute]
resource_report_interval = 10

[api]
listen = 127.0.0.1:$API_PORT
public_url = http://127.0.0.1:$API_PORT
url = http://127.0.0.1:$API_PORT

[users]
admin = $(rand_pw),admin,admin
demo = $(rand_pw),demo,member
cirrus-service = $(rand_pw),service,admin

[upgrade_levels]
EOF
    # compute logs in as the service user to download images.
    local svc_pw
    svc_pw=$(sed -n 's/^cirrus-service = \([^,]*\),.*/\1/p' "$CONF")
    printf '\n[service_auth]\nusername = cirrus-service\npassword = %s\nproject_name = service\n' "$svc_pw" >>"$CONF"
    chmod 600 "$CONF"
    log "wrote $CONF"
}

rand_pw() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# openrc with the OS_* variables (as devstack writes it), usable by `cirrus` and `openstack`.
write_openrc() {
    local pw
    pw=$(sed -n 's/^admin = \([^,]*\),.*/\1/p' "$CONF")
    cat >"$OPENRC" <<EOF
# Source me: . $OPENRC
export OS_AUTH_URL=http://127.0.0.1:$API_PORT/v3
export OS_USERNAME=admin
export OS_PASSWORD=$pw
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_REGION_NAME=RegionOne
export OS_IDENTITY_API_VERSION=3
EOF
    chmod 600 "$OPENRC"
}

# The seed's walkthrough: image cirros, keypair mykey, boot demo, show it ACTIVE and its
# instance directory. Idempotent: what exists is reused.
replay_seed() {
    local cli=$1 rc=0
    # shellcheck disable=SC1090
    . "$OPENRC"
    for _ in $(seq 30); do "$cli" flavor list -f value -c Name >/dev/null 2>&1 && break; sleep 1; done
    if ! "$cli" image show cirros >/dev/null 2>&1; then
        # Until the bootable guest image exists (issue 6), a small blank raw disk stands in.
        local img=$AIO/cirros.raw
        [ -f "$img" ] || qemu-img create -q -f raw "$img" 16M
        "$cli" image create --file "$img" --disk-format raw --container-format bare cirros -f value -c id >/dev/null || rc=1
    fi
    if ! "$cli" keypair show mykey >/dev/null 2>&1; then
        if "$cli" keypair create mykey >"$AIO/mykey.pem"; then chmod 600 "$AIO/mykey.pem"; else rc=1; fi
    fi
    # The scheduler places servers only on computes that have reported their resources.
    for _ in $(seq 60); do
        "$cli" hypervisor list -f value -c State 2>/dev/null | grep -q '^up$' && break; sleep 1
    done
    if [ "$("$cli" server show demo -f value -c status 2>/dev/null)" = "ERROR" ]; then
        log "demo is in ERROR from an earlier run; booting it again"
        "$cli" server delete --wait demo || rc=1
    fi
    if ! "$cli" server show demo >/dev/null 2>&1; then
        "$cli" server create --image cirros --flavor m1.tiny --key-name mykey --wait demo -f value -c id >/dev/null || rc=1
    fi
    echo "\$ cirrus server list"
    "$cli" server list || rc=1
    local id dir
    id=$("$cli" server show demo -f value -c id 2>/dev/null || true)
    dir=$(find "$STATE" -maxdepth 3 -type d -name "$id" 2>/dev/null | head -n 1)
    if [ -n "$id" ] && [ -n "$dir" ]; then
        echo "\$ ls -l $dir"; ls -l "$dir"
        echo "\$ qemu-img info $dir/disk"; qemu-img info "$dir/disk" | head -n 6
    fi
    return "$rc"
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
        write_openrc
        replay_seed "$(bin_dir)/cirrus" || rc=1
        echo "broker: $(scripts/rabbitmq.sh url --port "$PORT")   config: $CONF   logs: $LOGS/"
        echo "credentials: . $OPENRC   (cirrus server list / openstack server list)"
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
