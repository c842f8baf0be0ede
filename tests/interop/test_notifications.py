"""(c) Notifications sent by Cirrus (`$CIRRUS_PROBE notify`) reach a real oslo listener."""
import json
import uuid

import pytest

import interop_helpers as h

h.require_env()

import kombu  # noqa: E402


@pytest.mark.parametrize("priority", ["info", "error", "warn"])
def test_notification_reaches_oslo_listener(notification_listener, priority):
    token = uuid.uuid4().hex
    payload = {"instance_id": token, "state": "active", "nested": {"list": [1, None, "x"]}}
    event_type = "compute.instance.create.end"
    publisher_id = "compute." + h.unique("host")
    r = h.run_probe("notify", "--event-type", event_type, "--payload", json.dumps(payload),
                    "--publisher-id", publisher_id, "--priority", priority)
    assert r.rc == 0, r
    hits = notification_listener.wait_for(lambda n: isinstance(n["payload"], dict)
                                          and n["payload"].get("instance_id") == token)
    assert len(hits) == 1, f"expected one notification with token {token}, got {hits}"
    n = hits[0]
    assert n["priority"] == priority
    assert n["event_type"] == event_type
    assert n["publisher_id"] == publisher_id
    assert n["payload"] == payload
    assert n["metadata"].get("message_id"), n
    assert n["metadata"].get("timestamp"), n


def test_notification_wire_format(amqp):
    """Check the raw body: 2.0 envelope, routing key notifications.info, uppercase priority."""
    queue_name = h.unique("notif-wire")
    token = uuid.uuid4().hex
    with amqp.channel() as ch:
        ex = kombu.Exchange(h.EXCHANGE, type="topic", durable=True, auto_delete=False)
        q = kombu.Queue(queue_name, exchange=ex, routing_key="notifications.info",
                        durable=False, auto_delete=True, channel=ch)
        q.declare()
        try:
            r = h.run_probe("notify", "--event-type", "port.create.end", "--payload",
                            json.dumps({"token": token}), "--publisher-id", "network.h1")
            assert r.rc == 0, r

            def ours():
                while (m := q.get(no_ack=True)) is not None:
                    body = json.loads(m.body)
                    msg = json.loads(body["oslo.message"]) if "oslo.message" in body else body
                    if msg.get("payload", {}).get("token") == token:
                        return body, msg
                return None
            body, msg = h.wait_for(ours, what="notification on notifications.info")
        finally:
            q.delete()
    assert body.get("oslo.version") == "2.0" and isinstance(body.get("oslo.message"), str), body
    assert msg["priority"] == "INFO"
    assert msg["event_type"] == "port.create.end"
    assert msg["publisher_id"] == "network.h1"
    assert msg["message_id"] and msg["timestamp"], msg
    assert msg.get("_unique_id"), msg
