#!/usr/bin/env bash
# Create/refresh <repo>/.venv with the pinned Python test requirements (tests/interop/requirements.txt)
# plus the real `openstack` client (python-openstackclient, pinned below) for tests/e2e.
# Idempotent: a marker holds the hash of the requirements (plus the interpreter version);
# nothing is downloaded when it matches. Usage: scripts/venv.sh [--force]
# Environment: CIRRUS_PYTHON (interpreter for the venv, default python3), CIRRUS_VENV (path).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${CIRRUS_VENV:-$REPO_ROOT/.venv}
REQ=$REPO_ROOT/tests/interop/requirements.txt
PY=${CIRRUS_PYTHON:-python3}
MARKER=$VENV/.cirrus-requirements.sha256

# python-openstackclient 10.5.0 and what it adds to the requirements above, resolved on Debian 12 /
# Python 3.11 (pip install -c tests/interop/requirements.txt python-openstackclient==10.5.0; pip freeze).
# tests/e2e/test_openstack_client.py drives this client against a real Cirrus cloud.
OPENSTACKCLIENT_PINS="
autopage==0.6.0 cffi==2.1.1 cliff==4.17.0 cmd2==4.3.1 cryptography==50.0.2 decorator==5.3.1
dogpile.cache==1.5.0 jmespath==1.1.0 jsonpatch==1.48 jsonpointer==3.12 keystoneauth1==5.18.1
markdown-it-py==4.3.0 mdurl==0.1.2 openstacksdk==4.22.0 os-service-types==1.9.0 osc-lib==4.7.0
platformdirs==4.14.8 prettytable==3.18.0 prompt_toolkit==3.0.53 pycparser==3.12 pyperclip==1.11.0
python-keystoneclient==6.0.0 python-manilaclient==6.3.0 python-openstackclient==10.5.0 rich==15.0.0
rich-argparse==1.8.0 wcwidth==0.9.4
"

force=0
case "${1:-}" in
    --force) force=1 ;;
    "") ;;
    -h|--help) sed -n '2,5s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "venv.sh: unknown argument: $1" >&2; exit 2 ;;
esac

command -v "$PY" >/dev/null 2>&1 || { echo "venv.sh: $PY not found" >&2; exit 1; }
want="$( (cat "$REQ"; echo "$OPENSTACKCLIENT_PINS") | sha256sum | cut -d' ' -f1) $("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

if [ "$force" -eq 0 ] && [ -x "$VENV/bin/python" ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$want" ]; then
    echo "venv.sh: $VENV up to date"
    exit 0
fi

log=$(mktemp -t cirrus-venv.XXXXXX)
osc_req=$(mktemp -t cirrus-venv-osc.XXXXXX)
trap 'rm -f "$log" "$osc_req"' EXIT
echo "$OPENSTACKCLIENT_PINS" | tr ' ' '\n' | grep -v '^$' >"$osc_req"
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
echo "venv.sh: installing $(grep -cv '^\s*\(#\|$\)' "$REQ") pinned packages from $REQ and $(wc -l <"$osc_req") for python-openstackclient"
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ" -r "$osc_req" >"$log" 2>&1; then
    echo "venv.sh: pip install failed:" >&2; tail -n 40 "$log" >&2; exit 1
fi
"$VENV/bin/python" -W ignore -c 'import oslo_messaging, kombu, pytest' \
    || { echo "venv.sh: installed venv cannot import oslo_messaging/kombu/pytest" >&2; exit 1; }
"$VENV/bin/openstack" --version >/dev/null 2>&1 \
    || { echo "venv.sh: installed venv has no working 'openstack' command" >&2; exit 1; }
echo "$want" >"$MARKER"
echo "venv.sh: ready ($("$VENV/bin/python" -m pip show oslo.messaging 2>/dev/null | sed -n 's/^Version: /oslo.messaging /p'), $("$VENV/bin/openstack" --version 2>&1))"
