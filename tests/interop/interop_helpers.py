"""Shared helpers for the oslo.messaging <-> Cirrus interop tests.

Environment:
  CIRRUS_TEST_TRANSPORT_URL  rabbit://user:pass@127.0.0.1:port/vhost (scripts/rabbitmq.sh url)
  CIRRUS_PROBE               path of the built `cirrus-interop-probe` (or fake_probe.py)
"""
import json
import os
import signal
import subprocess
import threading
import time
import uuid

import pytest

URL = os.environ.get("CIRRUS_TEST_TRANSPORT_URL", "")
PROBE = os.environ.get("CIRRUS_PROBE", "")
EXCHANGE = "cirrus"
READY_TIMEOUT = float(os.environ.get("CIRRUS_PROBE_READY_TIMEOUT", "30"))


def require_env():
    """Skip the calling test module unless both the broker URL and the probe are configured."""
    if not URL or not PROBE:
        pytest.skip(
            "interop tests need CIRRUS_TEST_TRANSPORT_URL (a running broker, see scripts/rabbitmq.sh) "
            "and CIRRUS_PROBE (path of the built cirrus-interop-probe); scripts/test.sh sets both",
            allow_module_level=True,
        )


def unique(prefix="interop"):
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def wait_for(predicate, timeout=10.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last value: {last!r})")


def kombu_url(url=None):
    """oslo's rabbit:// URL as kombu's amqp:// (same credentials, host, port and vhost)."""
    url = url or URL
    for scheme in ("rabbit://", "kombu+rabbit://"):
        if url.startswith(scheme):
            return "amqp://" + url[len(scheme):]
    return url


def probe_command(*args):
    if not os.path.exists(PROBE):
        raise AssertionError(f"CIRRUS_PROBE={PROBE!r} does not exist (build it: swift build --product cirrus-interop-probe)")
    return [PROBE, *args]


class ProbeResult:
    def __init__(self, rc, stdout, stderr):
        self.rc, self.stdout, self.stderr = rc, stdout, stderr

    @property
    def json(self):
        text = self.stdout.strip()
        try:
            return json.loads(text)
        except ValueError:
            # Tolerate stray lines before the result: the result is the last line.
            lines = [line for line in text.splitlines() if line.strip()]
            if lines:
                try:
                    return json.loads(lines[-1])
                except ValueError:
                    pass
        raise AssertionError(f"probe stdout is not JSON (rc {self.rc}): {self.stdout!r}\nstderr: {self.stderr[-2000:]}")

    def __repr__(self):
        return f"ProbeResult(rc={self.rc}, stdout={self.stdout[-500:]!r}, stderr={self.stderr[-1500:]!r})"


def run_probe(*args, timeout=60):
    """Run a one-shot probe command (call/cast/notify) with the transport URL."""
    cmd = probe_command(args[0], "--transport-url", URL, *args[1:])
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"probe {args[0]} did not exit within {timeout}s: {cmd}\n"
                             f"stderr: {(exc.stderr or b'')[-2000:]!r}") from None
    return ProbeResult(p.returncode, p.stdout, p.stderr)


class ProbeServer:
    """`$CIRRUS_PROBE server ...` as a child process; waits for READY, always killed at the end."""

    def __init__(self, topic, host, log_dir, exchange=EXCHANGE):
        self.topic, self.host, self.exchange = topic, host, exchange
        self.log_path = os.path.join(log_dir, f"probe-server-{topic}-{host}.log")
        self.proc = None
        self._stdout_lines = []

    def start(self):
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            probe_command("server", "--transport-url", URL, "--topic", self.topic,
                          "--host", self.host, "--exchange", self.exchange),
            stdout=subprocess.PIPE, stderr=self._log, stdin=subprocess.DEVNULL, text=True,
            start_new_session=True)
        ready = threading.Event()

        def drain():  # read stdout forever so the child never blocks on a full pipe
            for line in self.proc.stdout:
                self._stdout_lines.append(line.rstrip("\n"))
                if line.strip() == "READY":
                    ready.set()
        threading.Thread(target=drain, daemon=True, name=f"drain-{self.host}").start()
        deadline = time.monotonic() + READY_TIMEOUT
        while not ready.wait(0.1):
            if self.proc.poll() is not None:
                raise AssertionError(f"probe server exited with rc {self.proc.returncode} before READY\n{self.describe()}")
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"probe server not READY after {READY_TIMEOUT}s\n{self.describe()}")
        return self

    @property
    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def describe(self):
        try:
            if not self._log.closed:
                self._log.flush()
            with open(self.log_path) as f:
                tail = f.read()[-3000:]
        except OSError:
            tail = ""
        return (f"probe server topic={self.topic} host={self.host}\n"
                f"stdout: {self._stdout_lines[-20:]}\nstderr tail ({self.log_path}):\n{tail}")

    def terminate(self):
        """Send SIGTERM (no wait); stop() then waits. Lets a fixture stop many servers at once."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop(self, timeout=10):
        """SIGTERM, wait `timeout`, then SIGKILL. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
            except ProcessLookupError:
                pass
        if not self._log.closed:
            self._log.close()
        return self.proc.returncode


# ---- raw AMQP (kombu) helpers: oslo's wire format by hand -------------------------------------

def envelope(message):
    """oslo 2.0 envelope around an application message dict."""
    return json.dumps({"oslo.version": "2.0", "oslo.message": json.dumps(message)})


def raw_publish(conn, routing_key, body, exchange=EXCHANGE, exchange_type="topic", content_type="application/json"):
    """Publish `body` (bytes/str, sent as is) to `exchange` without declaring anything."""
    import kombu
    if isinstance(body, str):
        body = body.encode("utf-8")
    with conn.channel() as ch:
        producer = kombu.Producer(ch, exchange=kombu.Exchange(exchange, type=exchange_type), auto_declare=False)
        producer.publish(body, routing_key=routing_key, content_type=content_type,
                         content_encoding="utf-8" if content_type else "binary", retry=False)


def raw_call(conn, topic, method, args, version=None, timeout=10.0, server=None, context=None):
    """An oslo-shaped call by hand: private reply queue, _msg_id, _reply_q; returns the reply
    message (the decoded `oslo.message` of the single `ending: true` reply)."""
    import kombu
    msg_id = uuid.uuid4().hex
    reply_q = "reply_" + uuid.uuid4().hex
    message = {"method": method, "args": args, "_msg_id": msg_id, "_reply_q": reply_q,
               "_timeout": None, "_unique_id": uuid.uuid4().hex}
    if version:
        message["version"] = version
    for k, v in (context or {"request_id": "req-" + str(uuid.uuid4())}).items():
        message["_context_" + k] = v
    with conn.channel() as ch:
        q = kombu.Queue(reply_q, durable=False, auto_delete=True, channel=ch)
        q.declare()
        try:
            raw_publish(conn, f"{topic}.{server}" if server else topic, envelope(message))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                m = q.get(no_ack=True)
                if m is None:
                    time.sleep(0.05)
                    continue
                body = json.loads(m.body)
                assert body.get("oslo.version") == "2.0", f"reply without 2.0 envelope: {body!r}"
                reply = json.loads(body["oslo.message"])
                assert reply.get("_msg_id") == msg_id, f"reply for another call: {reply!r}"
                if reply.get("ending") is False and reply.get("result") is None and reply.get("failure") is None:
                    continue  # call-monitor heartbeat
                return reply
            raise AssertionError(f"no reply to raw call {method} on {topic} within {timeout}s")
        finally:
            q.delete()
