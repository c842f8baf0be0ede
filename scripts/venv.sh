#!/usr/bin/env bash
# Create/refresh <repo>/.venv with the pinned Python test requirements (tests/interop/requirements.txt).
# Idempotent: a marker holds the hash of the requirements file (plus the interpreter version);
# nothing is downloaded when it matches. Usage: scripts/venv.sh [--force]
# Environment: CIRRUS_PYTHON (interpreter for the venv, default python3), CIRRUS_VENV (path).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${CIRRUS_VENV:-$REPO_ROOT/.venv}
REQ=$REPO_ROOT/tests/interop/requirements.txt
PY=${CIRRUS_PYTHON:-python3}
MARKER=$VENV/.cirrus-requirements.sha256

force=0
case "${1:-}" in
    --force) force=1 ;;
    "") ;;
    -h|--help) sed -n '2,5s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "venv.sh: unknown argument: $1" >&2; exit 2 ;;
esac

command -v "$PY" >/dev/null 2>&1 || { echo "venv.sh: $PY not found" >&2; exit 1; }
want="$(sha256sum "$REQ" | cut -d' ' -f1) $("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

if [ "$force" -eq 0 ] && [ -x "$VENV/bin/python" ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$want" ]; then
    echo "venv.sh: $VENV up to date"
    exit 0
fi

log=$(mktemp -t cirrus-venv.XXXXXX)
trap 'rm -f "$log"' EXIT
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1 \
    || [ "$force" -eq 1 ]; then
    rm -rf "$VENV"
    echo "venv.sh: creating $VENV with $("$PY" --version 2>&1)"
    if ! "$PY" -m venv "$VENV" >"$log" 2>&1; then
        echo "venv.sh: '$PY -m venv' failed (on Debian: apt-get install python3-venv):" >&2
        cat "$log" >&2; exit 1
    fi
fi
rm -f "$MARKER"
echo "venv.sh: installing $(grep -cv '^\s*\(#\|$\)' "$REQ") pinned packages from $REQ"
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ" >"$log" 2>&1; then
    echo "venv.sh: pip install failed:" >&2; tail -n 40 "$log" >&2; exit 1
fi
"$VENV/bin/python" -W ignore -c 'import oslo_messaging, kombu, pytest' \
    || { echo "venv.sh: installed venv cannot import oslo_messaging/kombu/pytest" >&2; exit 1; }
echo "$want" >"$MARKER"
echo "venv.sh: ready ($("$VENV/bin/python" -m pip show oslo.messaging 2>/dev/null | sed -n 's/^Version: /oslo.messaging /p'))"
