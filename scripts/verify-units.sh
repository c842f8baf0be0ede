#!/usr/bin/env bash
# Check the systemd units in deploy/systemd with `systemd-analyze verify` (works without systemd
# as PID 1). Binaries not installed yet are replaced by stubs in a scratch copy, so the check
# runs before deploy/install.sh. Any warning about our units (e.g. a misspelled key) fails too.
# Usage: scripts/verify-units.sh [UNIT_FILE...]
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! command -v systemd-analyze >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "verify-units: installing systemd (for systemd-analyze)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q systemd >/dev/null 2>&1 || true
    fi
    if ! command -v systemd-analyze >/dev/null 2>&1; then
        echo "verify-units: SKIPPED: systemd-analyze not available (apt-get install systemd)"
        exit 0
    fi
fi

units=("$@")
[ "${#units[@]}" -gt 0 ] || units=("$REPO_ROOT"/deploy/systemd/*.service)

scratch=$(mktemp -d -t cirrus-verify-units.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin" "$scratch/units"

for unit in "${units[@]}"; do
    name=$(basename "$unit")
    cp "$unit" "$scratch/units/$name"
    # Stub every absolute ExecStart*/ExecStop* binary that is not installed on this machine.
    while read -r bin; do
        [ -x "$bin" ] && continue
        stub=$scratch/bin/$(basename "$bin")
        printf '#!/bin/sh\nexit 0\n' >"$stub"; chmod +x "$stub"
        sed -i "s|=\\([-@:+!]*\\)$bin\\b|=\\1$stub|" "$scratch/units/$name"
    done < <(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\(\/[^ ]*\).*/\1/p' "$unit" | sort -u)
done

rc=0
for unit in "$scratch"/units/*.service; do
    name=$(basename "$unit")
    out=$(SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$unit" 2>&1) || rc=1
    # Only lines about our unit count; references to units absent here (rabbitmq-server) are fine.
    ours=$(grep -F "$name" <<<"$out" || true)
    if [ -n "$ours" ]; then
        echo "verify-units: $name:" >&2; printf '  %s\n' "${ours//$'\n'/$'\n  '}" >&2; rc=1
    else
        echo "verify-units: $name OK"
    fi
done
exit "$rc"
