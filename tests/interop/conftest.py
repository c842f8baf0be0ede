"""Fixtures for the interop tests: oslo transports, probe servers, in-process oslo servers."""
import threading
import time

import pytest

import interop_helpers as h

try:
    import kombu
    import oslo_messaging
    from oslo_config import cfg
except ImportError as exc:  # pragma: no cover - only without the venv
    raise pytest.UsageError(f"interop tests need oslo.messaging (scripts/venv.sh): {exc}")


def pytest_report_header(config):
    return [f"cirrus interop: CIRRUS_PROBE={h.PROBE or '(unset)'} "
            f"CIRRUS_TEST_TRANSPORT_URL={h.URL or '(unset)'} oslo.messaging via {oslo_messaging.__file__}"]


@pytest.fixture(scope="session")
def conf():
    # Cirrus servers use the control exchange `cirrus` (Nova uses `nova`).
    oslo_messaging.set_transport_defaults(h.EXCHANGE)
    # Cirrus keeps state-changing casts in durable queues: it speaks oslo.messaging with
    # amqp_durable_queues = True, so Python peers on its exchange set the same.
    from oslo_messaging._drivers import amqp as oslo_amqp, impl_rabbit
    cfg.CONF.register_opts(impl_rabbit.rabbit_opts, group="oslo_messaging_rabbit")
    cfg.CONF.register_opts(oslo_amqp.amqp_opts, group="oslo_messaging_rabbit")
    cfg.CONF.set_override("amqp_durable_queues", True, group="oslo_messaging_rabbit")
    return cfg.CONF


@pytest.fixture(scope="session")
def transport(conf):
    t = oslo_messaging.get_rpc_transport(conf, url=h.URL)
    yield t
    t.cleanup()


@pytest.fixture(scope="session")
def notification_transport(conf):
    t = oslo_messaging.get_notification_transport(conf, url=h.URL)
    yield t
    t.cleanup()


@pytest.fixture
def topic():
    return h.unique("interop")


@pytest.fixture
def client(transport):
    """client(topic, server=None, **prepare_kwargs) -> a prepared oslo RPC client."""
    def make(topic, server=None, version=None, **prepare):
        target = oslo_messaging.Target(topic=topic, server=server, exchange=h.EXCHANGE, version=version)
        c = oslo_messaging.get_rpc_client(transport, target, timeout=prepare.pop("timeout", 30))
        return c.prepare(**prepare) if prepare else c
    return make


@pytest.fixture
def probe_server(tmp_path, request):
    """probe_server(topic, host=None) -> a READY ProbeServer, stopped (and killed if needed) afterwards."""
    servers = []

    def start(topic, host=None):
        s = h.ProbeServer(topic, host or h.unique("host"), str(tmp_path))
        servers.append(s)
        return s.start()

    yield start
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for s in servers:
        s.terminate()
    for s in servers:
        s.stop()
        if failed:
            print(s.describe())


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def oslo_server(transport):
    """oslo_server(topic, host, endpoints) -> a started in-process oslo RPC server (threading executor)."""
    servers = []

    def start(topic, host, endpoints):
        target = oslo_messaging.Target(topic=topic, server=host, exchange=h.EXCHANGE)
        s = oslo_messaging.get_rpc_server(transport, target, endpoints, executor="threading",
                                          access_policy=oslo_messaging.DefaultRPCAccessPolicy)
        s.start()
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()
        s.wait()


class NotificationCollector:
    """Notification endpoint recording everything it receives, for all priorities."""

    def __init__(self):
        self.received = []
        self._cv = threading.Condition()

    def _record(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        with self._cv:
            self.received.append(dict(priority=priority, ctxt=ctxt, publisher_id=publisher_id,
                                      event_type=event_type, payload=payload, metadata=metadata))
            self._cv.notify_all()

    def wait_for(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                hits = [n for n in self.received if predicate(n)]
                if hits:
                    return hits
                left = deadline - time.monotonic()
                if left <= 0:
                    return []
                self._cv.wait(left)


for _p in ("audit", "debug", "info", "warn", "error", "critical", "sample"):
    setattr(NotificationCollector, _p,
            (lambda p: lambda self, ctxt, publisher_id, event_type, payload, metadata:
                self._record(p, ctxt, publisher_id, event_type, payload, metadata))(_p))


@pytest.fixture
def notification_listener(notification_transport):
    """A started oslo notification listener on topic `notifications`, exchange `cirrus`."""
    collector = NotificationCollector()
    listener = oslo_messaging.get_notification_listener(
        notification_transport,
        [oslo_messaging.Target(topic="notifications", exchange=h.EXCHANGE)],
        [collector], executor="threading", allow_requeue=False)
    listener.start()
    yield collector
    listener.stop()
    listener.wait()


@pytest.fixture
def amqp():
    """A raw kombu connection to the test broker (for wire-level checks)."""
    with kombu.Connection(h.kombu_url(), connect_timeout=10) as conn:
        conn.ensure_connection(max_retries=3)
        yield conn
