#!/usr/bin/env bash
# Unpacks Debian's cloud-init (22.4.2, not on PyPI) into a private venv for tests/metadata:
#   $DIR/debs/cloud-init_*.deb -> dpkg -x -> $DIR/root, $DIR/venv with its Python deps and a .pth.
# Idempotent; prints the venv's python. Usage: tests/metadata/setup-cloud-init.sh [DIR]
# (default $CIRRUS_CLOUDINIT_DIR or /tmp/cirrus-cloud-init). Needs apt sources and PyPI.
set -euo pipefail
DIR=${1:-${CIRRUS_CLOUDINIT_DIR:-/tmp/cirrus-cloud-init}}
PY=${CIRRUS_PYTHON:-python3}
mkdir -p "$DIR/debs"
if [ ! -d "$DIR/root/usr/lib/python3/dist-packages/cloudinit" ]; then
    (cd "$DIR/debs" && { ls cloud-init_*.deb >/dev/null 2>&1 || apt-get download cloud-init >/dev/null 2>&1; })
    dpkg -x "$(ls "$DIR"/debs/cloud-init_*.deb | head -1)" "$DIR/root"
fi
if [ ! -x "$DIR/venv/bin/python" ]; then
    "$PY" -m venv "$DIR/venv"
    "$DIR/venv/bin/pip" install -q --disable-pip-version-check requests pyyaml jinja2 jsonpatch jsonschema configobj oauthlib
fi
site=$("$DIR/venv/bin/python" -c 'import site; print(site.getsitepackages()[0])')
echo "$DIR/root/usr/lib/python3/dist-packages" >"$site/cloudinit_deb.pth"
"$DIR/venv/bin/python" -W ignore -c 'from cloudinit.sources.helpers import ec2, openstack' >&2
echo "$DIR/venv/bin/python"
