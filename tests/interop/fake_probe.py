#!/usr/bin/env python3
"""A stand-in for the Swift `cirrus-interop-probe`, written with real oslo.messaging.

It implements the same command-line contract, so it documents that contract and lets the
interop tests be validated without the Swift side:

    CIRRUS_PROBE=tests/interop/fake_probe.py CIRRUS_TEST_TRANSPORT_URL=... \
        .venv/bin/python -m pytest -q tests/interop

The tests themselves only ever run `$CIRRUS_PROBE`. Contract:

  server --transport-url URL --topic T --host H [--exchange cirrus]
      RPC server (endpoint version 1.3) until SIGTERM/SIGINT; prints READY once consuming.
      echo(value) -> value; add(a, b) -> a+b; fail(message) -> remote error ProbeError
      (module cirrus.probe); record(value) stores value (cast); recorded() -> list in order;
      sleep(seconds) -> "slept"; oslo_rpc_server_ping -> "pong".
  call --transport-url URL --topic T [--server H] --method M --args JSON [--version V] [--timeout S]
      prints the JSON result, exit 0; remote error -> {"error": {"class", "module", "message"}}
      exit 1; timeout -> {"error": {"class": "MessagingTimeout", ...}} exit 2.
  cast --transport-url URL --topic T [--server H] [--fanout] --method M --args JSON
      exit 0 once the broker confirmed the publish.
  notify --transport-url URL --event-type E --payload JSON [--publisher-id P] [--priority info]
      oslo v2 (messagingv2) notification on topic `notifications`, exchange `cirrus`; exit 0.
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

try:
    import oslo_messaging
    from oslo_config import cfg
except ImportError:  # run as a plain executable: re-exec under the repo's venv
    _venv_py = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".venv", "bin", "python")
    if os.path.exists(_venv_py) and not os.environ.get("_FAKE_PROBE_REEXEC"):
        os.environ["_FAKE_PROBE_REEXEC"] = "1"
        os.execv(_venv_py, [_venv_py] + sys.argv)
    raise

EXCHANGE = "cirrus"


class ProbeError(Exception):
    pass


ProbeError.__module__ = "cirrus.probe"


class ProbeEndpoint:
    target = oslo_messaging.Target(version="1.3")

    def __init__(self):
        self._lock = threading.Lock()
        self._recorded = []

    def echo(self, ctxt, value):
        return value

    def add(self, ctxt, a, b):
        return a + b

    def fail(self, ctxt, message):
        raise ProbeError(message)

    def record(self, ctxt, value):
        with self._lock:
            self._recorded.append(value)

    def recorded(self, ctxt):
        with self._lock:
            return list(self._recorded)

    def sleep(self, ctxt, seconds):
        time.sleep(float(seconds))
        return "slept"


def _transport(url, notification=False):
    oslo_messaging.set_transport_defaults(EXCHANGE)
    if notification:
        return oslo_messaging.get_notification_transport(cfg.CONF, url=url)
    return oslo_messaging.get_rpc_transport(cfg.CONF, url=url)


def cmd_server(args):
    from oslo_messaging.rpc import dispatcher

    cfg.CONF.register_opts(dispatcher._dispatcher_opts)
    cfg.CONF.set_override("rpc_ping_enabled", True)
    transport = _transport(args.transport_url)
    target = oslo_messaging.Target(topic=args.topic, server=args.host, exchange=args.exchange)
    server = oslo_messaging.get_rpc_server(
        transport, target, [ProbeEndpoint()], executor="threading",
        access_policy=oslo_messaging.DefaultRPCAccessPolicy)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    print("READY", flush=True)
    while not stop.wait(0.5):
        pass
    server.stop()
    server.wait()
    transport.cleanup()
    return 0


def _client(args, transport):
    target = oslo_messaging.Target(topic=args.topic, server=getattr(args, "server", None),
                                   exchange=EXCHANGE)
    return oslo_messaging.get_rpc_client(transport, target)


def _error(cls, module, message):
    print(json.dumps({"error": {"class": cls, "module": module, "message": message}}), flush=True)


def cmd_call(args):
    transport = _transport(args.transport_url)
    try:
        client = _client(args, transport).prepare(version=args.version, timeout=args.timeout)
        try:
            result = client.call({}, args.method, **json.loads(args.args))
        except oslo_messaging.MessagingTimeout as exc:
            _error("MessagingTimeout", "oslo_messaging.exceptions", str(exc))
            return 2
        except oslo_messaging.RemoteError as exc:
            # The module is not kept by RemoteError; the Swift probe reports the real one.
            _error(exc.exc_type, None, exc.value)
            return 1
        print(json.dumps(result), flush=True)
        return 0
    finally:
        transport.cleanup()


def cmd_cast(args):
    transport = _transport(args.transport_url)
    try:
        _client(args, transport).prepare(fanout=args.fanout).cast({}, args.method, **json.loads(args.args))
        return 0
    finally:
        transport.cleanup()


def cmd_notify(args):
    transport = _transport(args.transport_url, notification=True)
    try:
        notifier = oslo_messaging.Notifier(transport, publisher_id=args.publisher_id,
                                           driver="messagingv2", topics=["notifications"])
        getattr(notifier, args.priority.lower())({}, args.event_type, json.loads(args.payload))
        return 0
    finally:
        transport.cleanup()


def main(argv=None):
    p = argparse.ArgumentParser(prog="fake_probe")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("server")
    s.add_argument("--transport-url", required=True)
    s.add_argument("--topic", required=True)
    s.add_argument("--host", required=True)
    s.add_argument("--exchange", default=EXCHANGE)
    for name in ("call", "cast"):
        c = sub.add_parser(name)
        c.add_argument("--transport-url", required=True)
        c.add_argument("--topic", required=True)
        c.add_argument("--server")
        c.add_argument("--method", required=True)
        c.add_argument("--args", default="{}")
        if name == "call":
            c.add_argument("--version")
            c.add_argument("--timeout", type=float, default=60)
        else:
            c.add_argument("--fanout", action="store_true")
    n = sub.add_parser("notify")
    n.add_argument("--transport-url", required=True)
    n.add_argument("--event-type", required=True)
    n.add_argument("--payload", required=True)
    n.add_argument("--publisher-id", default="probe.localhost")
    n.add_argument("--priority", default="info")
    args = p.parse_args(argv)
    return {"server": cmd_server, "call": cmd_call, "cast": cmd_cast, "notify": cmd_notify}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
