"""(d) Malformed input published straight to a Cirrus server's queues must not take it down,
and the oslo wire format of replies, checked by hand with kombu."""
import json
import time
import uuid

import pytest

import interop_helpers as h

h.require_env()

import kombu  # noqa: E402


def _env(message):
    return h.envelope(message)


BAD_BODIES = {
    "not-json": b"this is not json {",
    "empty-body": b"",
    "not-utf8": b"\xff\xfe\x00\x81",
    "json-array": b"[1, 2, 3]",
    "json-string": b'"just a string"',
    "json-null": b"null",
    "no-envelope-no-method": b'{"hello": "world"}',
    "oslo-message-not-json": json.dumps({"oslo.version": "2.0", "oslo.message": "not json"}),
    "oslo-message-not-string": json.dumps({"oslo.version": "2.0", "oslo.message": 42}),
    "oslo-message-array": json.dumps({"oslo.version": "2.0", "oslo.message": "[1, 2]"}),
    "oslo-message-missing": json.dumps({"oslo.version": "2.0"}),
    "unsupported-envelope-version": json.dumps(
        {"oslo.version": "9.0", "oslo.message": json.dumps({"method": "record", "args": {"value": "v9"}})}),
    "unknown-method": _env({"method": "no_such_method", "args": {}, "_unique_id": uuid.uuid4().hex}),
    "method-not-string": _env({"method": 123, "args": {}}),
    "no-method": _env({"args": {"value": 1}}),
    "args-not-object": _env({"method": "record", "args": [1, 2]}),
    "missing-argument": _env({"method": "add", "args": {"a": 1}}),
    "wrong-argument-type": _env({"method": "add", "args": {"a": "x", "b": {}}}),
    "unexpected-argument": _env({"method": "echo", "args": {"value": 1, "bogus": 2}}),
    "bad-version-string": _env({"method": "echo", "args": {"value": 1}, "version": "one.two"}),
    "context-not-scalar": _env({"method": "echo", "args": {"value": 1}, "_context_request_id": {"x": [1]}}),
}


def _queue_depth(conn, name):
    with conn.channel() as ch:
        _, count, _ = ch.queue_declare(queue=name, passive=True)
        return count


@pytest.mark.parametrize("content_type", ["application/json", None])
def test_malformed_messages_do_not_kill_the_server(probe_server, client, topic, amqp, content_type):
    s = probe_server(topic)
    for name, body in BAD_BODIES.items():
        h.raw_publish(amqp, topic, body, content_type=content_type)
        h.raw_publish(amqp, f"{topic}.{s.host}", body, content_type=content_type)
        h.raw_publish(amqp, "", body, exchange=f"{topic}_fanout", exchange_type="fanout",
                      content_type=content_type)
    # Real requests after the junk: the server must still be up and answering.
    assert client(topic, timeout=15).call({}, "echo", value="still here") == "still here"
    assert client(topic, server=s.host, timeout=15).call({}, "echo", value="still here") == "still here"
    assert s.alive, s.describe()
    # Nothing may be left ready (e.g. requeued forever) on its queues.
    for q in (topic, f"{topic}.{s.host}"):
        h.wait_for(lambda: _queue_depth(amqp, q) == 0, what=f"queue {q} drained")
    time.sleep(0.5)
    assert s.alive, s.describe()
    assert client(topic, timeout=15).call({}, "add", a=1, b=1) == 2


def test_each_malformed_message_individually(probe_server, client, topic, amqp):
    """Same, one at a time, so a failure names the body that broke the server."""
    s = probe_server(topic)
    for name, body in BAD_BODIES.items():
        h.raw_publish(amqp, topic, body)
        try:
            result = client(topic, timeout=10).call({}, "echo", value=name)
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"server stopped answering after body {name!r}: {exc!r}\n{s.describe()}")
        assert result == name
        assert s.alive, f"server died after body {name!r}\n{s.describe()}"


def test_call_with_missing_reply_queue_does_not_block_other_calls(probe_server, client, topic, amqp):
    """oslo retries an undeliverable reply for up to 60 s; meanwhile other calls must be served."""
    s = probe_server(topic)
    h.raw_publish(amqp, topic, h.envelope({
        "method": "echo", "args": {"value": "lost"}, "_msg_id": uuid.uuid4().hex,
        "_reply_q": "reply_" + uuid.uuid4().hex, "_timeout": None, "_unique_id": uuid.uuid4().hex}))
    time.sleep(0.5)
    started = time.monotonic()
    assert client(topic, timeout=10).call({}, "echo", value="ok") == "ok"
    assert time.monotonic() - started < 10
    assert s.alive, s.describe()


def test_raw_reply_wire_format(probe_server, topic, amqp):
    probe_server(topic)
    reply = h.raw_call(amqp, topic, "echo", {"value": {"k": [1, "v"]}}, version="1.3")
    assert reply["result"] == {"k": [1, "v"]}
    assert reply.get("failure") is None
    assert reply.get("ending") is True
    assert reply.get("_unique_id"), reply


def test_raw_call_without_version_defaults_to_1_0(probe_server, topic, amqp):
    probe_server(topic)
    assert h.raw_call(amqp, topic, "add", {"a": 20, "b": 22})["result"] == 42


def test_duplicate_unique_id_is_processed_once(probe_server, client, topic, amqp):
    """oslo drops a message whose _unique_id is among the last ones seen (at-most-once casts)."""
    s = probe_server(topic)
    uid = uuid.uuid4().hex
    body = h.envelope({"method": "record", "args": {"value": "dup"}, "_unique_id": uid})
    h.raw_publish(amqp, f"{topic}.{s.host}", body)
    h.raw_publish(amqp, f"{topic}.{s.host}", body)
    h.raw_publish(amqp, f"{topic}.{s.host}", h.envelope(
        {"method": "record", "args": {"value": "end"}, "_unique_id": uuid.uuid4().hex}))
    # Casts are handled concurrently, so "end" may be recorded before the first "dup": wait
    # for both, then read once more so a wrongly handled second "dup" has had its turn too.
    def recorded():
        r = client(topic, server=s.host).call({}, "recorded")
        return r if "end" in r and "dup" in r else None
    got = h.wait_for(recorded, what="casts recorded")
    assert got.count("dup") == 1, got
    again = client(topic, server=s.host).call({}, "recorded")
    assert again.count("dup") == 1, again


def test_legacy_message_without_envelope_is_dispatched(probe_server, client, topic, amqp):
    """A dict without the oslo.version/oslo.message pair is a legacy 1.0 message, dispatched as is."""
    s = probe_server(topic)
    h.raw_publish(amqp, f"{topic}.{s.host}", json.dumps(
        {"method": "record", "args": {"value": "legacy"}, "_unique_id": uuid.uuid4().hex}))
    h.wait_for(lambda: "legacy" in client(topic, server=s.host).call({}, "recorded"), what="legacy cast")


def test_kombu_sees_consumers_on_all_three_queues(probe_server, topic, amqp):
    s = probe_server(topic)
    for q in (topic, f"{topic}.{s.host}"):
        with amqp.channel() as ch:
            _, _, consumers = ch.queue_declare(queue=q, passive=True)
            assert consumers == 1, (q, consumers)
    # The fanout exchange exists (passive declare raises 404 otherwise).
    with amqp.channel() as ch:
        ch.exchange_declare(exchange=f"{topic}_fanout", type="fanout", passive=True)
    assert kombu  # imported for the helpers' sake
