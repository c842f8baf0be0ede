"""(a) A real oslo.messaging RPC client talks to a Cirrus RPC server (`$CIRRUS_PROBE server`)."""
import json
import time

import pytest

import interop_helpers as h

h.require_env()

import oslo_messaging  # noqa: E402


NESTED = {
    "string": "héllo wörld ✓",
    "int": 42,
    "negative": -7,
    "float": 2.5,
    "bool": [True, False],
    "null": None,
    "empty": {"list": [], "dict": {}, "str": ""},
    "deep": {"a": {"b": {"c": [1, {"d": ["e", 3.25, None]}]}}},
    "escapes": "quote \" backslash \\ newline \n tab \t",
}


def test_echo_nested_json(probe_server, client, topic):
    probe_server(topic)
    assert client(topic).call({}, "echo", value=NESTED) == NESTED


@pytest.mark.parametrize("value", [0, "", [], {}, None, "x", 1.5, True])
def test_echo_scalars_and_empties(probe_server, client, topic, value):
    probe_server(topic)
    assert client(topic).call({}, "echo", value=value) == value


def test_echo_large_payload(probe_server, client, topic):
    # Bigger than the default AMQP frame (128 KiB): the body spans several frames.
    big = "x" * (512 * 1024)
    probe_server(topic)
    assert client(topic).call({}, "echo", value=big) == big


def test_echo_with_request_context(probe_server, client, topic):
    probe_server(topic)
    ctxt = {"request_id": "req-" + h.unique("ctx"), "project_id": "p1", "user_id": "u1",
            "roles": ["admin"], "is_admin": True}
    assert client(topic).call(ctxt, "echo", value="ctx") == "ctx"


def test_add(probe_server, client, topic):
    probe_server(topic)
    assert client(topic).call({}, "add", a=2, b=40) == 42
    assert client(topic).call({}, "add", a=-5, b=3) == -2


def test_directed_call_to_host(probe_server, client, topic):
    a = probe_server(topic)
    b = probe_server(topic)
    for s in (a, b):
        assert client(topic, server=s.host).call({}, "echo", value=s.host) == s.host


def test_call_with_supported_versions(probe_server, client, topic):
    probe_server(topic)
    for version in ("1.0", "1.1", "1.3"):
        assert client(topic, version=version).call({}, "echo", value=version) == version


def test_cast_then_recorded(probe_server, client, topic):
    s = probe_server(topic)
    values = [1, "two", {"three": 3}, [4], None]
    for v in values:
        client(topic, server=s.host).cast({}, "record", value=v)
    def recorded():
        r = client(topic, server=s.host).call({}, "recorded")
        return r if len(r) >= len(values) else None
    got = h.wait_for(recorded, what="recorded casts")
    assert sorted(map(repr, got)) == sorted(map(repr, values))


def test_cast_round_robin_over_topic(probe_server, client, topic):
    a, b = probe_server(topic), probe_server(topic)
    values = list(range(10))
    for v in values:
        client(topic).cast({}, "record", value=v)

    def total():
        got = client(topic, server=a.host).call({}, "recorded") + client(topic, server=b.host).call({}, "recorded")
        return got if len(got) >= len(values) else None
    assert sorted(h.wait_for(total, what="casts on the shared topic queue")) == values


def test_fanout_cast_reaches_every_server(probe_server, client, topic):
    servers = [probe_server(topic), probe_server(topic)]
    marker = h.unique("fanout")
    client(topic, fanout=True).cast({}, "record", value=marker)
    for s in servers:
        h.wait_for(lambda: marker in client(topic, server=s.host).call({}, "recorded"),
                   what=f"fanout cast on {s.host}")


def test_remote_error(probe_server, client, topic):
    probe_server(topic)
    with pytest.raises(oslo_messaging.RemoteError) as ei:
        client(topic).call({}, "fail", message="the probe failed on purpose")
    assert ei.value.exc_type in ("ProbeError", "ProbeError_Remote")
    assert "the probe failed on purpose" in ei.value.value


def test_remote_error_raw_failure_carries_module(probe_server, topic, amqp):
    """The reply's `failure` is oslo's JSON string with class, module, message (see raw helpers)."""
    probe_server(topic)
    reply = h.raw_call(amqp, topic, "fail", {"message": "raw failure"})
    assert reply["failure"] is not None, reply
    failure = json.loads(reply["failure"]) if isinstance(reply["failure"], str) else reply["failure"]
    assert failure["class"] == "ProbeError"
    assert failure["module"] == "cirrus.probe"
    assert "raw failure" in failure["message"]


@pytest.mark.parametrize("version", ["2.0", "1.9", "0.9"])
def test_unsupported_version(probe_server, client, topic, version):
    probe_server(topic)
    with pytest.raises(oslo_messaging.RemoteError) as ei:
        client(topic, version=version).call({}, "echo", value=1)
    assert ei.value.exc_type == "UnsupportedVersion"


def test_unknown_method(probe_server, client, topic):
    probe_server(topic)
    with pytest.raises(oslo_messaging.RemoteError) as ei:
        client(topic).call({}, "no_such_method")
    assert ei.value.exc_type == "NoSuchMethod"


def test_ping(probe_server, client, topic):
    s = probe_server(topic)
    assert client(topic).call({}, "oslo_rpc_server_ping") == "pong"
    assert client(topic, server=s.host).call({}, "oslo_rpc_server_ping") == "pong"


def test_call_monitor_heartbeats_keep_long_call_alive(probe_server, client, topic):
    """With call_monitor_timeout=2 the 3 s call only survives if the server heartbeats (every 1 s)."""
    probe_server(topic)
    started = time.monotonic()
    assert client(topic, timeout=10, call_monitor_timeout=2).call({}, "sleep", seconds=3) == "slept"
    assert 2.5 <= time.monotonic() - started < 10


def test_call_timeout(probe_server, client, topic):
    probe_server(topic)
    with pytest.raises(oslo_messaging.MessagingTimeout):
        client(topic, timeout=1).call({}, "sleep", seconds=3)


def test_queues_and_exchanges_match_oslo_declarations(probe_server, topic, amqp):
    """An oslo server joining the topic re-declares these with oslo's flags for
    amqp_durable_queues=True (topic exchange and queues durable, not auto-delete, no arguments;
    fanout exchange auto-delete). They must be equivalent, otherwise RabbitMQ answers 406
    PRECONDITION_FAILED and the oslo server cannot start."""
    import amqp as pyamqp
    import kombu
    s = probe_server(topic)
    ex = kombu.Exchange(h.EXCHANGE, type="topic", durable=True, auto_delete=False)
    for name in (topic, f"{topic}.{s.host}"):
        with amqp.channel() as ch:
            q = kombu.Queue(name, exchange=ex, routing_key=name, durable=True, auto_delete=False, channel=ch)
            try:
                _, count, consumers = q.queue_declare()
            except pyamqp.exceptions.PreconditionFailed as exc:
                pytest.fail(f"queue {name} is not declared like oslo.messaging declares it "
                            f"(durable=True, auto_delete=False, no arguments): {exc}")
            assert consumers >= 1, f"nobody consumes {name}"
    with amqp.channel() as ch:
        kombu.Exchange(f"{topic}_fanout", type="fanout", durable=False, auto_delete=True, channel=ch).declare()


class _Recorder:
    target = oslo_messaging.Target(version="1.3")

    def __init__(self):
        self.values = []

    def record(self, ctxt, value):
        self.values.append(value)


@pytest.mark.parametrize("first", ["cirrus", "oslo"])
def test_oslo_and_cirrus_servers_share_a_topic(conf, probe_server, client, topic, first):
    """Mixed deployments (a Cirrus service next to an oslo one on the same topic) must work in
    either start order: both consume the shared topic queue round-robin."""
    transport = oslo_messaging.get_rpc_transport(conf, url=h.URL)
    endpoint = _Recorder()
    server = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic=topic, server=h.unique("pyhost"), exchange=h.EXCHANGE),
        [endpoint], executor="threading")
    started = False
    try:
        if first == "cirrus":
            s = probe_server(topic)
        try:
            server.start()
            started = True
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"oslo server could not join the topic {first} declared first: {exc}")
        if first == "oslo":
            s = probe_server(topic)
        values = list(range(12))
        for v in values:
            client(topic).cast({}, "record", value=v)

        def all_recorded():
            got = endpoint.values + client(topic, server=s.host).call({}, "recorded")
            return got if len(got) >= len(values) else None
        got = h.wait_for(all_recorded, what="casts recorded by both servers")
        assert sorted(got) == values
        assert endpoint.values, "the oslo server got none of the round-robin casts"
        assert len(endpoint.values) < len(values), "the Cirrus server got none of the round-robin casts"
    finally:
        if started:
            server.stop()
            server.wait()
        transport.cleanup()
