#!/usr/bin/env bash
# Boots the Cirrus tiny guest (scripts/build-guest-image.sh) on a private test topology and waits
# for its result line on the serial console:
#   bridge brqgsmoke  <- tap tapgsmoke (qemu virtio-net, MAC fa:16:3e:00:00:01)
#                     <- veth vgsmoke-br / ns-gsmoke in netns gsmoke-dhcp (10.254.0.2/24 and
#                        169.254.169.254/32): dnsmasq (host fa:16:3e:00:00:01 -> 10.254.0.10,
#                        option 121 169.254.169.254/32 via 10.254.0.2, default via 10.254.0.1)
#                        and python3 http.server on 169.254.169.254:80 serving 4 EC2 paths.
# Usage: scripts/guest-smoke.sh [--accel kvm|tcg] [--kernel vmlinuz|vmlinux] [--image-dir DIR] [--timeout S] [--no-ssh-check] [--no-powerdown] [--no-key] [--md-delay S]
# Root only. Touches nothing but the objects named above, removed on exit (also on failure).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ACCEL="" KERNEL=vmlinuz IMG=$ROOT/var/guest TIMEOUT=120 SSH_CHECK=1 POWERDOWN=1 NO_KEY=0 MD_DELAY=0
while [ $# -gt 0 ]; do
    case "$1" in
        --accel) ACCEL=$2; shift ;;
        --kernel) KERNEL=$2; shift ;;
        --image-dir) IMG=$2; shift ;;
        --timeout) TIMEOUT=$2; shift ;;
        --no-ssh-check) SSH_CHECK=0 ;;
        --no-powerdown) POWERDOWN=0 ;;
        --no-key) NO_KEY=1 SSH_CHECK=0 ;;  # serve no public-keys/ (404): expect key=none
        --md-delay) MD_DELAY=$2; shift ;;  # start the metadata server S s after qemu (guest retries)
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "guest-smoke: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

# Not "qdhcp-gsmoke": a running cirrus-metadata follows every qdhcp-* namespace (listener on
# 169.254.169.254:80) and cirrus-dhcp-agent removes qdhcp-* namespaces it does not know.
BR=brqgsmoke TAP=tapgsmoke NS=gsmoke-dhcp VBR=vgsmoke-br VNS=ns-gsmoke
MAC=fa:16:3e:00:00:01 GUEST_IP=10.254.0.10 DHCP_IP=10.254.0.2 GW=10.254.0.1 MD_IP=169.254.169.254
IID=i-00000001 HOSTNAME_MD=demo.novalocal

log() { echo "guest-smoke: $*"; }
die() { echo "guest-smoke: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (bridge, namespace, tap, dnsmasq, qemu)"
case "$KERNEL" in vmlinuz|vmlinux) ;; *) die "--kernel must be vmlinuz (bzImage) or vmlinux (PVH ELF)" ;; esac
for f in "$KERNEL" initrd.img disk.qcow2; do
    [ -s "$IMG/$f" ] || die "$IMG/$f missing: run scripts/build-guest-image.sh first"
done
if ! command -v qemu-system-x86_64 >/dev/null; then
    log "installing qemu-system-x86 (--no-install-recommends)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-system-x86 >/dev/null
fi
command -v dnsmasq >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dnsmasq-base >/dev/null
command -v qemu-img >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-utils >/dev/null
command -v python3 >/dev/null || die "python3 missing (serves the metadata tree)"

if [ -z "$ACCEL" ]; then
    # /dev/kvm backed by PVM (kvm_pvm module, as on the project machines) runs a stock kernel far
    # too slowly to boot: prefer TCG there.
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ]; then ACCEL=kvm; else ACCEL=tcg; fi
fi
case "$ACCEL" in kvm|tcg) ;; *) die "--accel must be kvm or tcg" ;; esac
[ "$ACCEL" = tcg ] || [ -w /dev/kvm ] || die "--accel kvm but /dev/kvm is not usable"
[ "$ACCEL" = tcg ] || [ ! -d /sys/module/kvm_pvm ] ||
    log "warning: /dev/kvm is PVM (kvm_pvm): a stock kernel boots extremely slowly there; try --accel tcg"

# One run at a time: the names are fixed, so anything carrying them is a leftover of a killed run.
exec 9>/run/cirrus-guest-smoke.lock
flock -n 9 || die "another guest-smoke run holds /run/cirrus-guest-smoke.lock"

D=$(mktemp -d /tmp/cirrus-gsmoke.XXXXXX)
QEMU_PID="" HTTP_PID=""
cleanup() {
    local rc=$?
    set +e
    [ -n "$QEMU_PID" ] && kill "$QEMU_PID" 2>/dev/null && wait "$QEMU_PID" 2>/dev/null
    [ -f "$D/qemu.pid" ] && kill "$(cat "$D/qemu.pid")" 2>/dev/null
    [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null && wait "$HTTP_PID" 2>/dev/null
    [ -f "$D/dnsmasq.pid" ] && kill "$(cat "$D/dnsmasq.pid")" 2>/dev/null
    ip link del "$TAP" 2>/dev/null
    ip link del "$VBR" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    ip link del "$BR" 2>/dev/null
    for i in $(seq 30); do # namespace teardown removes veth ends asynchronously
        ip link show "$VBR" >/dev/null 2>&1 || ip link show "$TAP" >/dev/null 2>&1 || break
        sleep 0.1
    done
    left=$( { ip link show "$BR"; ip link show "$TAP"; ip link show "$VBR"; ip netns list | grep -w "$NS"; } 2>/dev/null)
    [ -z "$left" ] || echo "guest-smoke: WARNING cleanup left: $left" >&2
    if [ "$rc" != 0 ] && [ -f "$D/console.log" ]; then
        echo "guest-smoke: --- console (last 40 lines) ---" >&2; tail -n 40 "$D/console.log" >&2
        echo "guest-smoke: --- dnsmasq/http logs ---" >&2; tail -n 10 "$D/dnsmasq.log" "$D/http.log" >&2 2>/dev/null
    fi
    rm -rf "$D"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Leftovers of a killed run (names are ours; the lock says no other run is alive).
ip link del "$TAP" 2>/dev/null || true
ip link del "$VBR" 2>/dev/null || true
ip netns del "$NS" 2>/dev/null || true
ip link del "$BR" 2>/dev/null || true

# --- topology -------------------------------------------------------------------------------------
ip link add "$BR" type bridge
ip link set "$BR" up
ip netns add "$NS"
ip -n "$NS" link set lo up
ip link add "$VBR" type veth peer name "$VNS"
ip link set "$VNS" netns "$NS"
ip link set "$VBR" master "$BR" up
ip -n "$NS" addr add "$DHCP_IP/24" dev "$VNS"
ip -n "$NS" addr add "$MD_IP/32" dev "$VNS"
ip -n "$NS" link set "$VNS" up
ip tuntap add dev "$TAP" mode tap
ip link set "$TAP" master "$BR" up

# --- dnsmasq ------------------------------------------------------------------------------------
echo "$MAC,demo,$GUEST_IP" >"$D/host"
cat >"$D/opts" <<END
tag:subnet-gsmoke,option:classless-static-route,$MD_IP/32,$DHCP_IP,0.0.0.0/0,$GW
tag:subnet-gsmoke,249,$MD_IP/32,$DHCP_IP,0.0.0.0/0,$GW
tag:subnet-gsmoke,option:router,$GW
tag:subnet-gsmoke,option:dns-server,$DHCP_IP
END
ip netns exec "$NS" dnsmasq --no-hosts --no-resolv --conf-file=/dev/null --pid-file="$D/dnsmasq.pid" \
    --dhcp-leasefile="$D/leases" --dhcp-hostsfile="$D/host" --dhcp-optsfile="$D/opts" \
    --bind-interfaces --interface="$VNS" --except-interface=lo \
    --dhcp-range=set:subnet-gsmoke,10.254.0.0,static,255.255.255.0,86400s \
    --dhcp-option-force=option:mtu,1500 --dhcp-lease-max=16 --domain=openstacklocal --port=0 --user=root \
    --log-dhcp --log-facility="$D/dnsmasq.log"

# --- metadata (EC2 2009-04-04 leaves the guest reads) ----------------------------------------------
if [ "$SSH_CHECK" = 1 ] && command -v ssh-keygen >/dev/null && command -v ssh >/dev/null; then
    ssh-keygen -q -t ed25519 -N "" -C gsmoke@cirrus -f "$D/id_key"
    KEY=$(cat "$D/id_key.pub")
else
    SSH_CHECK=0
    KEY="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGNpcnJ1cy1ndWVzdC1zbW9rZS10ZXN0LWtleQAAAA gsmoke@cirrus"
fi
M=$D/md/2009-04-04/meta-data
mkdir -p "$M"
printf '%s' "$IID" >"$M/instance-id"
printf '%s' "$HOSTNAME_MD" >"$M/hostname"
printf '%s' "$GUEST_IP" >"$M/local-ipv4"
if [ "$NO_KEY" = 1 ]; then
    KEY=none
else
    mkdir -p "$M/public-keys/0"
    printf '%s\n' "$KEY" >"$M/public-keys/0/openssh-key"
fi
start_metadata() {
    ip netns exec "$NS" python3 -m http.server --bind "$MD_IP" --directory "$D/md" 80 >"$D/http.log" 2>&1 &
    HTTP_PID=$!
    for i in $(seq 50); do
        ip netns exec "$NS" python3 -c "import socket; socket.create_connection(('$MD_IP', 80), 1)" 2>/dev/null && break
        kill -0 "$HTTP_PID" 2>/dev/null || die "metadata http server exited: $(tail -n 1 "$D/http.log")"
        sleep 0.1
    done
    sleep 0.2
    kill -0 "$HTTP_PID" 2>/dev/null ||
        die "metadata http server exited (someone else serves $MD_IP:80 in $NS?): $(tail -n 1 "$D/http.log")"
}
[ "$MD_DELAY" -gt 0 ] || start_metadata

# --- guest ----------------------------------------------------------------------------------------
qemu-img create -q -f qcow2 -F qcow2 -b "$(cd "$IMG" && pwd)/disk.qcow2" "$D/overlay.qcow2"
VHOST=off
[ -e /dev/vhost-net ] && VHOST=on
QEMU=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
    -accel "$ACCEL" -m 256 -smp 1
    -kernel "$IMG/$KERNEL" -initrd "$IMG/initrd.img" -append "console=ttyS0 quiet panic=1"
    -drive "file=$D/overlay.qcow2,if=virtio,format=qcow2"
    -netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no,vhost=$VHOST"
    -device "virtio-net-pci,netdev=n0,mac=$MAC"
    -serial "file:$D/console.log"
    -qmp "unix:$D/qmp.sock,server=on,wait=off"
    -pidfile "$D/qemu.pid")
log "booting $KERNEL with -accel $ACCEL (vhost=$VHOST)"
T0=$(date +%s%N)
"${QEMU[@]}" >"$D/qemu.log" 2>&1 &
QEMU_PID=$!

LINE=""
while :; do
    if [ -z "$HTTP_PID" ] && [ $(( ($(date +%s%N) - T0) / 1000000000 )) -ge "$MD_DELAY" ]; then
        start_metadata
        log "metadata server started $(( ($(date +%s%N) - T0) / 1000000 )) ms after qemu"
    fi
    LINE=$(grep -a -m 1 '^cirrus-guest: instance-id=' "$D/console.log" 2>/dev/null | tr -d '\r' || true)
    [ -n "$LINE" ] && break
    kill -0 "$QEMU_PID" 2>/dev/null || die "qemu exited before the guest printed its line: $(cat "$D/qemu.log")"
    [ $(( ($(date +%s%N) - T0) / 1000000000 )) -lt "$TIMEOUT" ] || die "no 'cirrus-guest: instance-id=' line within ${TIMEOUT}s"
    sleep 0.1
done
MS=$(( ($(date +%s%N) - T0) / 1000000 ))
grep -a '^cirrus-guest:' "$D/console.log" | tr -d '\r' | grep -v '^cirrus-guest: instance-id=' | sed 's/^/  /'
echo "$LINE"
log "result line after $((MS / 1000)).$(printf '%03d' $((MS % 1000))) s ($KERNEL, -accel $ACCEL)"

WANT="cirrus-guest: instance-id=$IID hostname=$HOSTNAME_MD local-ipv4=$GUEST_IP key=$KEY"
[ "$LINE" = "$WANT" ] || die "unexpected result line; wanted: $WANT"

if [ "$SSH_CHECK" = 1 ] && [ -x "$(command -v ssh)" ] && grep -aq 'dropbear) started' "$D/console.log"; then
    # The guest is only reachable from the namespace (the host has no address on the bridge).
    out=$(ip netns exec "$NS" ssh -i "$D/id_key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR "root@$GUEST_IP" 'hostname; cat /proc/uptime' 2>&1) ||
        die "ssh into the guest failed: $out"
    log "ssh ok: hostname=$(echo "$out" | head -n 1)"
fi

if [ "$POWERDOWN" = 1 ]; then
    # Soft stop as Cirrus does it: ACPI power button; the guest's acpid powers off and qemu exits.
    T1=$(date +%s%N)
    python3 - "$D/qmp.sock" <<'PY' || die "QMP system_powerdown failed"
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
def cmd(name):
    f.write(json.dumps({"execute": name}) + "\n"); f.flush()
    while True:
        msg = json.loads(f.readline())
        if "return" in msg: return
        if "error" in msg: sys.exit(f"{name}: {msg['error']}")
json.loads(f.readline())  # greeting
cmd("qmp_capabilities"); cmd("system_powerdown")
PY
    for i in $(seq 300); do kill -0 "$QEMU_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$QEMU_PID" 2>/dev/null; then
        die "guest did not power off within 30 s of system_powerdown"
    fi
    wait "$QEMU_PID" 2>/dev/null || true
    QEMU_PID=""
    log "system_powerdown -> qemu exited after $(( ($(date +%s%N) - T1) / 1000000 )) ms"
fi
log "PASS"
