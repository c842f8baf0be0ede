"""(b) The Cirrus RPC client (`$CIRRUS_PROBE call|cast`) talks to a real oslo.messaging server."""
import json
import threading

import pytest

import interop_helpers as h

h.require_env()

import oslo_messaging  # noqa: E402


class InteropError(Exception):
    """Raised by the Python endpoint; oslo serializes it as class InteropError."""


class PyEndpoint:
    target = oslo_messaging.Target(version="1.1")

    def __init__(self):
        self.recorded = []
        self.lock = threading.Lock()

    def echo(self, ctxt, value):
        return value

    def fail(self, ctxt, message):
        raise InteropError(message)

    def record(self, ctxt, value):
        with self.lock:
            self.recorded.append(value)

    def context(self, ctxt):
        return ctxt


VALUE = {"nested": {"list": [1, 2.5, None, True, "ü"], "empty": {}}, "s": "a \"quoted\" \\ string"}


def test_call_echo(oslo_server, topic):
    oslo_server(topic, h.unique("pyhost"), [PyEndpoint()])
    r = h.run_probe("call", "--topic", topic, "--method", "echo", "--args", json.dumps({"value": VALUE}))
    assert r.rc == 0, r
    assert r.json == VALUE


def test_call_directed_to_server_with_version(oslo_server, topic):
    host = h.unique("pyhost")
    oslo_server(topic, host, [PyEndpoint()])
    oslo_server(topic, h.unique("other"), [PyEndpoint()])
    for version in ("1.0", "1.1"):
        r = h.run_probe("call", "--topic", topic, "--server", host, "--method", "echo",
                        "--args", '{"value": "v"}', "--version", version)
        assert (r.rc, r.json) == (0, "v"), r


def test_call_remote_error(oslo_server, topic):
    oslo_server(topic, h.unique("pyhost"), [PyEndpoint()])
    r = h.run_probe("call", "--topic", topic, "--method", "fail", "--args", '{"message": "python says no"}')
    assert r.rc == 1, r
    err = r.json["error"]
    assert err["class"] == "InteropError", r
    assert "python says no" in err["message"], r
    if err.get("module") is not None:
        assert err["module"] == InteropError.__module__, r


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_call_unsupported_version(oslo_server, topic, version):
    oslo_server(topic, h.unique("pyhost"), [PyEndpoint()])
    r = h.run_probe("call", "--topic", topic, "--method", "echo", "--args", '{"value": 1}', "--version", version)
    assert r.rc == 1, r
    assert r.json["error"]["class"] == "UnsupportedVersion", r


def test_call_unknown_method(oslo_server, topic):
    oslo_server(topic, h.unique("pyhost"), [PyEndpoint()])
    r = h.run_probe("call", "--topic", topic, "--method", "nope", "--args", "{}")
    assert r.rc == 1, r
    assert r.json["error"]["class"] == "NoSuchMethod", r


def test_call_timeout_without_server(topic):
    r = h.run_probe("call", "--topic", topic, "--method", "echo", "--args", '{"value": 1}', "--timeout", "2",
                    timeout=30)
    assert r.rc == 2, r
    assert r.json["error"]["class"] == "MessagingTimeout", r


def test_call_carries_request_context(oslo_server, topic):
    oslo_server(topic, h.unique("pyhost"), [PyEndpoint()])
    r = h.run_probe("call", "--topic", topic, "--method", "context", "--args", "{}")
    assert r.rc == 0, r
    ctxt = r.json
    assert isinstance(ctxt, dict), r
    if "request_id" in ctxt:
        assert str(ctxt["request_id"]).startswith("req-"), ctxt


def test_cast_to_server(oslo_server, topic):
    ep = PyEndpoint()
    host = h.unique("pyhost")
    oslo_server(topic, host, [ep])
    r = h.run_probe("cast", "--topic", topic, "--server", host, "--method", "record", "--args", '{"value": [1, "a"]}')
    assert r.rc == 0, r
    h.wait_for(lambda: ep.recorded == [[1, "a"]], what="cast recorded by the oslo server")


def test_fanout_cast(oslo_server, topic):
    eps = [PyEndpoint(), PyEndpoint()]
    for ep in eps:
        oslo_server(topic, h.unique("pyhost"), [ep])
    r = h.run_probe("cast", "--topic", topic, "--fanout", "--method", "record", "--args", '{"value": "all"}')
    assert r.rc == 0, r
    for ep in eps:
        h.wait_for(lambda: ep.recorded == ["all"], what="fanout cast on every oslo server")


def test_ping_oslo_server(conf, oslo_server, topic):
    from oslo_messaging.rpc import dispatcher
    conf.register_opts(dispatcher._dispatcher_opts)
    conf.set_override("rpc_ping_enabled", True)
    try:
        oslo_server(topic, h.unique("pyhost"), [PyEndpoint()])
    finally:
        conf.clear_override("rpc_ping_enabled")
    r = h.run_probe("call", "--topic", topic, "--method", "oslo_rpc_server_ping", "--args", "{}")
    assert (r.rc, r.json) == (0, "pong"), r
