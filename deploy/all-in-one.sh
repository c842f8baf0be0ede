#!/usr/bin/env bash
# Run all of Cirrus on this one machine, without systemd.
#   up      install packages, `swift build -c release`, build the guest image (qemu driver), start a
#           private RabbitMQ (127.0.0.1:5672, state in var/rabbitmq), create the provider network's
#           dummy uplink `cirruspub0`, write var/aio/cirrus.conf, start the five daemons, ping their
#           RPC topics, then replay the seed: network `public` (172.24.4.0/24), image `cirros`,
#           keypair `mykey`, server `demo` on `public`; with qemu, wait for the guest's console line.
#           Idempotent: running daemons and existing resources are reused.
#   down    stop the daemons (TERM, KILL after 10 s), the instances' qemu and dnsmasq processes,
#           remove the namespaces, bridges, taps and dummy uplink Cirrus made, stop RabbitMQ.
#   status  daemons, broker, RPC pings.
# Usage: deploy/all-in-one.sh up|down|status [--port N] [--no-build] [--compute-driver qemu|fake]
# Environment: CIRRUS_AIO_RABBITMQ_PORT (default 5672), CIRRUS_AIO_HOST (default: hostname -s),
#   CIRRUS_AIO_COMPUTE_DRIVER (default qemu).
# Network safety: the provider network `public` maps to the dummy interface `cirruspub0`, never
# to a real NIC; every address lives in the bridge and namespaces Cirrus creates.
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
DRIVER=${CIRRUS_AIO_COMPUTE_DRIVER:-qemu}
UPLINK=cirruspub0
GUEST=$REPO_ROOT/var/guest

cmd=${1:-}
[ $# -gt 0 ] && shift
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --port) PORT=${2:?--port needs a value}; shift ;;
        --no-build) BUILD=0 ;;
        --compute-driver) DRIVER=${2:?--compute-driver needs qemu or fake}; shift ;;
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
        # Keep local edits; only follow the broker URL and the chosen driver.
        sed -i -e "s|^transport_url = .*|transport_url = $url|" -e "s|^compute_driver = .*|compute_driver = $DRIVER|" "$CONF"
        return
    fi
    cat >"$CONF" <<EOF
# Written by deploy/all-in-one.sh for a single-machine deployment; edits are kept (only
# transport_url is rewritten on "up"). Reference: deploy/cirrus.conf.sample.
[DEFAULT]
transport_url = $url
host = $HOST
state_path = $STATE
compute_driver = $DRIVER
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
shutdown_timeout = 10

[linux_bridge]
# The provider network "public" rides on a dummy interface this script creates.
physical_interface_mappings = public:$UPLINK

[vnc]
server_listen = 127.0.0.1

[dhcp]
dns_domain = openstacklocal

[metadata]
domain = novalocal

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

# The provider network's uplink: a dummy interface (or, on kernels without the dummy driver,
# one end of a veth pair whose peer stays unused), so the bridge never touches a real NIC.
ensure_uplink() {
    if ! ip link show "$UPLINK" >/dev/null 2>&1; then
        ip link add "$UPLINK" type dummy 2>/dev/null || ip link add "$UPLINK" type veth peer name "${UPLINK}p"
    fi
    ip link set "$UPLINK" up
}

# `cirros`: with qemu the guest built by scripts/build-guest-image.sh (disk + kernel and ramdisk
# images referenced by kernel_id/ramdisk_id, as Glance does it); with the fake driver a blank disk.
ensure_image() {
    local cli=$1 k r
    if [ "$DRIVER" != qemu ]; then
        "$cli" image show cirros >/dev/null 2>&1 && return 0
        local img=$AIO/cirros.raw
        [ -f "$img" ] || qemu-img create -q -f raw "$img" 16M
        "$cli" image create --file "$img" --disk-format raw --container-format bare cirros -f value -c id >/dev/null
        return
    fi
    if "$cli" image show cirros -f json 2>/dev/null | grep -q kernel_id; then return 0; fi
    if "$cli" image show cirros >/dev/null 2>&1; then
        log "replacing the placeholder image cirros with the bootable guest"
        if "$cli" server show demo >/dev/null 2>&1; then "$cli" server delete --wait demo; fi
        "$cli" image delete cirros
    fi
    k=$("$cli" image show cirros-kernel -f value -c id 2>/dev/null) ||
        k=$("$cli" image create --file "$GUEST/vmlinux" --disk-format aki --container-format aki cirros-kernel -f value -c id)
    r=$("$cli" image show cirros-ramdisk -f value -c id 2>/dev/null) ||
        r=$("$cli" image create --file "$GUEST/initrd.img" --disk-format ari --container-format ari cirros-ramdisk -f value -c id)
    "$cli" image create --file "$GUEST/disk.qcow2" --disk-format qcow2 --container-format bare \
        --property "kernel_id=$k" --property "ramdisk_id=$r" cirros -f value -c id >/dev/null
}

# The seed's flat network `public` (devstack's public-net range).
ensure_network() {
    local cli=$1
    "$cli" network show public >/dev/null 2>&1 ||
        "$cli" network create --provider-network-type flat --provider-physical-network public --share public -f value -c id >/dev/null
    "$cli" subnet show public-subnet >/dev/null 2>&1 ||
        "$cli" subnet create --network public --subnet-range 172.24.4.0/24 --gateway 172.24.4.1 \
            --allocation-pool start=172.24.4.2,end=172.24.4.254 public-subnet -f value -c id >/dev/null
}

# The seed's walkthrough: network public, image cirros, keypair mykey, boot demo on public, show
# it ACTIVE, its instance directory and (qemu) the guest's console line. Idempotent.
replay_seed() {
    local cli=$1 rc=0
    # shellcheck disable=SC1090
    . "$OPENRC"
    for _ in $(seq 30); do "$cli" flavor list -f value -c Name >/dev/null 2>&1 && break; sleep 1; done
    ensure_network "$cli" || rc=1
    ensure_image "$cli" || rc=1
    if ! "$cli" keypair show mykey >/dev/null 2>&1; then
        if "$cli" keypair create mykey >"$AIO/mykey.pem"; then chmod 600 "$AIO/mykey.pem"; else rc=1; fi
    fi
    # The scheduler places servers only on computes that have reported their resources.
    for _ in $(seq 60); do
        "$cli" hypervisor list -f value -c State 2>/dev/null | grep -q '^up$' && break; sleep 1
    done
    case "$("$cli" server show demo -f value -c status 2>/dev/null)" in
        ERROR) log "demo is in ERROR from an earlier run; booting it again"; "$cli" server delete --wait demo || rc=1 ;;
        SHUTOFF) log "demo is SHUTOFF (its qemu was stopped by 'down'); starting it"; "$cli" server start demo || rc=1 ;;
    esac
    if ! "$cli" server show demo >/dev/null 2>&1; then
        "$cli" server create --image cirros --flavor m1.tiny --key-name mykey --network public --wait demo \
            -f value -c id >/dev/null || rc=1
    fi
    echo "\$ cirrus server list"
    "$cli" server list || rc=1
    local id dir line=""
    id=$("$cli" server show demo -f value -c id 2>/dev/null || true)
    dir=$(find "$STATE" -maxdepth 3 -type d -name "$id" 2>/dev/null | head -n 1)
    if [ -n "$id" ] && [ -n "$dir" ]; then
        echo "\$ ls -l $dir"; ls -l "$dir"
        echo "\$ qemu-img info -U $dir/disk"; qemu-img info -U "$dir/disk" | head -n 6
    fi
    if [ "$DRIVER" = qemu ] && [ -n "$id" ]; then
        for _ in $(seq "${CIRRUS_AIO_GUEST_TIMEOUT:-180}"); do
            line=$("$cli" console log show demo 2>/dev/null | grep -a 'cirrus-guest: instance-id=' | tail -n 1 || true)
            [ -n "$line" ] && break; sleep 1
        done
        echo "\$ cirrus console log show demo | grep cirrus-guest"
        if [ -n "$line" ]; then echo "$line"; else echo "(no guest line yet; see cirrus console log show demo)"; rc=1; fi
        echo "\$ cirrus console url show demo"; "$cli" console url show demo || true
    fi
    return "$rc"
}

# Processes, namespaces and links Cirrus made on this machine (for `down`).
stop_dataplane() {
    local pid cmd net
    for pid in $(pgrep -f "$STATE/" || true); do
        cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
        case "$cmd" in
            *qemu-system*|*dnsmasq*) kill -TERM "$pid" 2>/dev/null && log "stopped ${cmd%% *} (pid $pid)" ;;
        esac
    done
    sleep 2
    # Anything that ignored TERM (e.g. a qemu started with blocked signals by an older release).
    for pid in $(pgrep -f "$STATE/" || true); do
        cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
        case "$cmd" in
            *qemu-system*|*dnsmasq*) kill -KILL "$pid" 2>/dev/null && log "killed ${cmd%% *} (pid $pid)" ;;
        esac
    done
    if [ -d "$STATE/dhcp" ]; then
        for net in $(ls "$STATE/dhcp"); do
            ip netns del "qdhcp-$net" 2>/dev/null && log "removed namespace qdhcp-$net"
            for tap in $(ip -o link show master "brq${net:0:11}" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
                case "$tap" in tap*) ip link del "$tap" 2>/dev/null || true ;; esac
            done
            ip link del "brq${net:0:11}" 2>/dev/null && log "removed bridge brq${net:0:11}"
        done
    fi
    ip link del "$UPLINK" 2>/dev/null && log "removed $UPLINK" || true
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
        mkdir -p "$LOGS"
        if [ "$DRIVER" = qemu ]; then
            log "guest image (scripts/build-guest-image.sh $GUEST)"
            scripts/build-guest-image.sh "$GUEST" >"$LOGS/guest-image.log" 2>&1 ||
                { tail -n 20 "$LOGS/guest-image.log" >&2; echo "all-in-one: guest image build failed" >&2; exit 1; }
        fi
        ensure_uplink
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
        stop_dataplane
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
    -h|--help|help) sed -n '2,20s/^# \{0,1\}//p' "$0" ;;
    *) sed -n '2,20s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
