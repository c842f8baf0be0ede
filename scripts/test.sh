#!/usr/bin/env bash
# The Cirrus test command. On a fresh Debian 12 machine (as root) it does all set-up itself:
#   1. Debian packages (scripts/install-deps.sh)
#   2. Python venv with oslo.messaging + pytest (scripts/venv.sh)
#   3. a private RabbitMQ on 127.0.0.1:5673 (scripts/rabbitmq.sh); exports CIRRUS_TEST_TRANSPORT_URL
#   4. systemd-analyze verify of deploy/systemd (scripts/verify-units.sh)
#   5. swift build, then swift test (Swift Testing + XCTest)
#   6. cloud-init 22.4.2 unpacked from Debian (var/cloud-init) and the guest image (scripts/build-guest-image.sh var/guest: Debian kernel + busybox initramfs)
#   7. swift build --product cirrus-interop-probe, then pytest tests/interop (real oslo.messaging)
#      and tests/e2e (real daemons booting servers through the cirrus CLI; DHCP and metadata in
#      namespaces; a real qemu guest), then pytest tests/metadata (the real cloud-init crawling
#      cirrus-metadata-proxy)
# The broker is stopped on exit unless --keep-broker. Exit status is non-zero if any stage failed.
#
# Usage: scripts/test.sh [--keep-broker] [--port N] [--skip-swift-tests] [--skip-interop] [-- PYTEST_ARGS...]
# Environment: CIRRUS_TEST_RABBITMQ_PORT (default 5673); CIRRUS_PROBE (use this probe instead of
#   building one, e.g. tests/interop/fake_probe.py); SWIFT_TEST_ARGS (extra `swift test` args, split
#   on spaces, e.g. "--filter MessagingTests"). Logs: var/test-logs/.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

KEEP_BROKER=0 RUN_SWIFT_TESTS=1 RUN_INTEROP=1
PORT=${CIRRUS_TEST_RABBITMQ_PORT:-5673}
PYTEST_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --keep-broker) KEEP_BROKER=1 ;;
        --port) PORT=${2:?--port needs a value}; shift ;;
        --skip-swift-tests) RUN_SWIFT_TESTS=0 ;;
        --skip-interop) RUN_INTEROP=0 ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        -h|--help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "test.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

LOG_DIR=$REPO_ROOT/var/test-logs
mkdir -p "$LOG_DIR"
FAILED=() PASSED=()
START=$SECONDS

stage() { printf '\n==> [%3ds] %s\n' "$((SECONDS - START))" "$*"; }
ok() { PASSED+=("$1"); }
failed() { FAILED+=("$1"); echo "test.sh: stage FAILED: $1" >&2; }

# Show what went wrong in a long build log without dumping all of it.
show_build_errors() {
    local log=$1
    echo "---- errors from $log ----" >&2
    if grep -nE '(error|fatal error):' "$log" | head -n 40 >&2; then :; fi
    echo "---- last 30 lines of $log ----" >&2
    tail -n 30 "$log" >&2
}

summary() {
    local rc=$?
    echo
    echo "==> test.sh finished in $((SECONDS - START))s; logs in $LOG_DIR"
    [ "${#PASSED[@]}" -gt 0 ] && echo "    passed: ${PASSED[*]}"
    [ "${#FAILED[@]}" -gt 0 ] && echo "    FAILED: ${FAILED[*]}"
    return "$rc"
}

cleanup() {
    local rc=$?
    if [ "$KEEP_BROKER" -eq 0 ]; then
        scripts/rabbitmq.sh stop --port "$PORT" >/dev/null 2>&1 || true
    else
        echo "test.sh: broker left running: $(scripts/rabbitmq.sh url --port "$PORT") (stop: scripts/rabbitmq.sh stop --port $PORT)"
    fi
    summary || true
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- set-up: any failure here aborts ----
stage "system packages"
scripts/install-deps.sh
stage "python venv"
scripts/venv.sh
stage "cloud-init 22.4.2 from Debian for the metadata tests (tests/metadata/setup-cloud-init.sh)"
CIRRUS_CLOUDINIT_PYTHON=$(tests/metadata/setup-cloud-init.sh "$REPO_ROOT/var/cloud-init" | tail -n 1)
export CIRRUS_CLOUDINIT_PYTHON
echo "CIRRUS_CLOUDINIT_PYTHON=$CIRRUS_CLOUDINIT_PYTHON"
stage "guest image (log: $LOG_DIR/guest-image.log)"
CIRRUS_GUEST_DIR=$REPO_ROOT/var/guest
export CIRRUS_GUEST_DIR
if ! scripts/build-guest-image.sh "$CIRRUS_GUEST_DIR" >"$LOG_DIR/guest-image.log" 2>&1; then
    tail -n 30 "$LOG_DIR/guest-image.log" >&2
    failed "guest-image"
else
    ok "guest-image"
fi
stage "rabbitmq on 127.0.0.1:$PORT"
scripts/rabbitmq.sh start --port "$PORT"
CIRRUS_TEST_TRANSPORT_URL=$(scripts/rabbitmq.sh url --port "$PORT")
export CIRRUS_TEST_TRANSPORT_URL
echo "CIRRUS_TEST_TRANSPORT_URL=$CIRRUS_TEST_TRANSPORT_URL"
command -v swift >/dev/null 2>&1 || { echo "test.sh: swift not on PATH" >&2; exit 1; }

# ---- build and test ----
stage "systemd units (scripts/verify-units.sh)"
if scripts/verify-units.sh; then ok "units"; else failed "units"; fi

BUILD_OK=0
stage "swift build (log: $LOG_DIR/swift-build.log)"
if swift build >"$LOG_DIR/swift-build.log" 2>&1; then
    BUILD_OK=1; ok "swift-build"
else
    show_build_errors "$LOG_DIR/swift-build.log"; failed "swift-build"
fi

if [ "$RUN_SWIFT_TESTS" -eq 1 ]; then
    stage "swift test (log: $LOG_DIR/swift-test.log)"
    read -r -a extra <<<"${SWIFT_TEST_ARGS:-}"
    if [ "$BUILD_OK" -eq 0 ]; then
        failed "swift-test (not run: build failed)"
    elif swift test "${extra[@]}" 2>&1 | tee "$LOG_DIR/swift-test.log"; then
        ok "swift-test"
    else
        failed "swift-test"
    fi
fi

if [ "$RUN_INTEROP" -eq 1 ]; then
    if [ -n "${CIRRUS_PROBE:-}" ]; then
        stage "interop probe: using CIRRUS_PROBE=$CIRRUS_PROBE"
        CIRRUS_PROBE=$(realpath "$CIRRUS_PROBE")
    else
        stage "swift build --product cirrus-interop-probe (log: $LOG_DIR/probe-build.log)"
        if swift build --product cirrus-interop-probe >"$LOG_DIR/probe-build.log" 2>&1; then
            CIRRUS_PROBE="$(swift build --show-bin-path)/cirrus-interop-probe"
            ok "probe-build"
        else
            show_build_errors "$LOG_DIR/probe-build.log"; failed "probe-build"; CIRRUS_PROBE=
        fi
    fi
    if [ -n "$CIRRUS_PROBE" ]; then
        export CIRRUS_PROBE
        # tests/e2e runs the real daemons (cirrus-api, -scheduler, -compute) from the debug build.
        CIRRUS_BIN_DIR=$(swift build --show-bin-path)
        export CIRRUS_BIN_DIR
        stage "interop and end-to-end tests: pytest tests/interop tests/e2e (log: $LOG_DIR/interop.log)"
        if .venv/bin/python -m pytest -q tests/interop tests/e2e "${PYTEST_ARGS[@]}" 2>&1 | tee "$LOG_DIR/interop.log"; then
            ok "interop"
        else
            failed "interop"
        fi
        # tests/metadata has its own conftest (fake conductor in oslo.messaging, real cloud-init):
        # a separate pytest run.
        CIRRUS_METADATA_PROXY=$CIRRUS_BIN_DIR/cirrus-metadata-proxy
        export CIRRUS_METADATA_PROXY
        stage "metadata tests with the real cloud-init: pytest tests/metadata (log: $LOG_DIR/metadata.log)"
        if .venv/bin/python -m pytest -q tests/metadata "${PYTEST_ARGS[@]}" 2>&1 | tee "$LOG_DIR/metadata.log"; then
            ok "metadata"
        else
            failed "metadata"
        fi
    else
        failed "interop (not run: no probe)"
    fi
fi

[ "${#FAILED[@]}" -eq 0 ]
