#!/usr/bin/env bash
# Install the Debian packages Cirrus needs to build, test and run on one machine.
# Idempotent: does nothing (no apt-get update) when every package is already installed.
# Usage: scripts/install-deps.sh [--with-shellcheck]
set -euo pipefail

PACKAGES=(
    rabbitmq-server librabbitmq-dev dnsmasq-base dnsmasq-utils iproute2 qemu-utils busybox openssh-client sqlite3
    isc-dhcp-client curl python3-venv libsqlite3-dev cpio xz-utils wrk
)
# Installed with --no-install-recommends (qemu's recommends pull in a desktop's worth of packages).
NO_RECOMMENDS=(qemu-system-x86)
for arg in "$@"; do
    case "$arg" in
        --with-shellcheck) PACKAGES+=(shellcheck) ;;
        -h|--help) sed -n '2,4s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "install-deps: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }
missing=() missing_nr=()
for pkg in "${PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
for pkg in "${NO_RECOMMENDS[@]}"; do installed "$pkg" || missing_nr+=("$pkg"); done

if [ "${#missing[@]}" -eq 0 ] && [ "${#missing_nr[@]}" -eq 0 ]; then
    echo "install-deps: all $(( ${#PACKAGES[@]} + ${#NO_RECOMMENDS[@]} )) packages present"
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
        echo "install-deps: missing ${missing[*]} and not root (no sudo)" >&2; exit 1
    fi
fi

echo "install-deps: installing ${missing[*]} ${missing_nr[*]}"
log=$(mktemp -t cirrus-install-deps.XXXXXX)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get update -q >"$log" 2>&1; then
    echo "install-deps: apt-get update failed:" >&2; tail -n 30 "$log" >&2; exit 1
fi
# The rabbitmq-server package must not try to start a broker (no systemd here, and we run
# our own private one): policy-rc.d 101 keeps invoke-rc.d quiet when we created it.
policy=/usr/sbin/policy-rc.d created_policy=0
if [ ! -e "$policy" ] && [ "$(id -u)" -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
fi
rc=0
if [ "${#missing[@]}" -gt 0 ]; then
    "${SUDO[@]}" apt-get install -y -q "${missing[@]}" >"$log" 2>&1 || rc=$?
fi
if [ "$rc" -eq 0 ] && [ "${#missing_nr[@]}" -gt 0 ]; then
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing_nr[@]}" >>"$log" 2>&1 || rc=$?
fi
[ "$created_policy" -eq 1 ] && rm -f "$policy"
if [ "$rc" -ne 0 ]; then
    echo "install-deps: apt-get install failed (rc $rc):" >&2; tail -n 40 "$log" >&2; exit "$rc"
fi
echo "install-deps: installed ${missing[*]} ${missing_nr[*]}"
