#!/usr/bin/env bash
# Build Cirrus in release mode and install it as systemd services.
#   binaries -> $PREFIX/bin (default /usr/local/bin): the five daemons and the `cirrus` CLI
#   units    -> /etc/systemd/system/cirrus-*.service (from deploy/systemd/)
#   config   -> /etc/cirrus/cirrus.conf from deploy/cirrus.conf.sample, only if absent
#   user     -> system user `cirrus` (cirrus-api and cirrus-scheduler run as it; compute,
#               dhcp-agent and metadata-proxy run as root: network namespaces, bridges, /dev/kvm)
# Usage: deploy/install.sh [--no-build] [--enable]
#   --enable   also `systemctl enable` the units (only when systemd is running)
# Environment: DESTDIR (stage into a directory instead of /; skips user creation and systemctl),
#   PREFIX (default /usr/local).
# Then: edit /etc/cirrus/cirrus.conf (transport_url, host), `systemctl start cirrus-api ...`.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
DAEMONS=(cirrus-api cirrus-scheduler cirrus-compute cirrus-dhcp-agent cirrus-metadata-proxy)
BINARIES=("${DAEMONS[@]}" cirrus)
BUILD=1 ENABLE=0
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        --enable) ENABLE=1 ;;
        -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (or set DESTDIR to stage the files)" >&2; exit 1
fi

cd "$REPO_ROOT"
if [ "$BUILD" -eq 1 ]; then
    mkdir -p var
    echo "install.sh: swift build -c release (log: var/release-build.log)"
    if ! swift build -c release >var/release-build.log 2>&1; then
        grep -E '(error|fatal error):' var/release-build.log | head -n 40 >&2 || true
        tail -n 30 var/release-build.log >&2
        echo "install.sh: release build failed" >&2; exit 1
    fi
fi
BIN_DIR=$(swift build -c release --show-bin-path)

install -d -m 0755 "$DESTDIR$PREFIX/bin" "$DESTDIR/etc/systemd/system" "$DESTDIR$PREFIX/share/doc/cirrus"
for b in "${BINARIES[@]}"; do
    [ -x "$BIN_DIR/$b" ] || { echo "install.sh: $BIN_DIR/$b missing (build first)" >&2; exit 1; }
    install -m 0755 "$BIN_DIR/$b" "$DESTDIR$PREFIX/bin/$b"
done
install -m 0644 README.md "$DESTDIR$PREFIX/share/doc/cirrus/README.md"
echo "install.sh: installed ${BINARIES[*]} to $DESTDIR$PREFIX/bin"

units_changed=0
for d in "${DAEMONS[@]}"; do
    src=deploy/systemd/$d.service dst=$DESTDIR/etc/systemd/system/$d.service
    tmp=$(mktemp)
    sed "s|/usr/local/bin/|$PREFIX/bin/|g" "$src" >"$tmp"
    if ! cmp -s "$tmp" "$dst"; then install -m 0644 "$tmp" "$dst"; units_changed=1; fi
    rm -f "$tmp"
done
echo "install.sh: units in $DESTDIR/etc/systemd/system ($([ $units_changed -eq 1 ] && echo updated || echo unchanged))"

if [ -z "$DESTDIR" ] && ! getent passwd cirrus >/dev/null; then
    useradd --system --home-dir /var/lib/cirrus --no-create-home --shell /usr/sbin/nologin cirrus
    echo "install.sh: created system user cirrus"
fi
install -d -m 0750 "$DESTDIR/etc/cirrus" "$DESTDIR/var/lib/cirrus"
if [ -z "$DESTDIR" ]; then
    chown root:cirrus /etc/cirrus && chown cirrus:cirrus /var/lib/cirrus
fi
conf=$DESTDIR/etc/cirrus/cirrus.conf
if [ -e "$conf" ]; then
    echo "install.sh: kept existing $conf"
else
    sed "s|^#host = node1|host = $(hostname -s 2>/dev/null || hostname)|" deploy/cirrus.conf.sample >"$conf"
    chmod 0640 "$conf"
    [ -z "$DESTDIR" ] && chown root:cirrus "$conf"
    echo "install.sh: wrote $conf (set transport_url and host there)"
fi

if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    if [ "$ENABLE" -eq 1 ]; then systemctl enable "${DAEMONS[@]/%/.service}"; fi
    echo "install.sh: start with: systemctl start ${DAEMONS[*]}"
else
    echo "install.sh: systemd is not running here: units installed but not loaded" \
        "(on a systemd host: systemctl daemon-reload && systemctl start ${DAEMONS[*]})"
fi
