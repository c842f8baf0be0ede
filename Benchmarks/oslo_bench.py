#!/usr/bin/env python3
"""Reference benchmark: Python oslo.messaging RPC over the same RabbitMQ as cirrus-bench.

  oslo_bench.py --url rabbit://guest:guest@127.0.0.1:5699/ --mode call --count 2000
  oslo_bench.py --url ... --mode cast --count 5000

`call`/`cast` start an oslo RPCServer (threading executor, endpoints echo/tick/count/reset)
in a separate Python process (`--mode server`, so client and server do not share a GIL),
on topic `oslo_bench` in control exchange `cirrus`, then drive it from an oslo RPCClient:
sequential calls (calls/s, p50, p99) or sequential casts (publish rate, and the end-to-end
rate at which the server consumed them). Prints human lines and one `RESULT {json}` line.
oslo's rabbit driver publishes casts without publisher confirms. amqp_durable_queues is set
to True as Cirrus uses it (OSLO_BENCH_DURABLE=0 for a broker where `cirrus` is not durable).
"""
import argparse
import json
import logging
import os
import subprocess
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging as messaging

TOPIC = "oslo_bench"
DURABLE = os.environ.get("OSLO_BENCH_DURABLE", "1") != "0"


def make_transport(url):
    messaging.set_transport_defaults("cirrus")
    # cfg.CONF, not a private ConfigOpts: oslo.messaging 18 registers some options (tracing)
    # only on the global one.
    conf = cfg.CONF
    if not getattr(make_transport, "parsed", False):
        conf([], project="oslo_bench")
        make_transport.parsed = True
    transport = messaging.get_rpc_transport(conf, url=url)
    # Cirrus declares the control exchange and topic queues durable (oslo's
    # amqp_durable_queues=True); oslo must agree or the broker refuses the declare (406).
    conf.set_override("amqp_durable_queues", DURABLE, group="oslo_messaging_rabbit")
    return transport


def make_client(transport, topic, timeout=30):
    target = messaging.Target(topic=topic, version="1.0")
    if hasattr(messaging, "get_rpc_client"):
        return messaging.get_rpc_client(transport, target, timeout=timeout)
    return messaging.RPCClient(transport, target, timeout=timeout)


class Endpoint:
    target = messaging.Target(version="1.0")

    def __init__(self):
        self.lock = threading.Lock()
        self.casts = 0

    def echo(self, ctxt, value):
        return value

    def tick(self, ctxt):
        with self.lock:
            self.casts += 1

    def count(self, ctxt):
        with self.lock:
            return self.casts

    def reset(self, ctxt):
        with self.lock:
            old, self.casts = self.casts, 0
            return old


def serve(url, topic):
    transport = make_transport(url)
    target = messaging.Target(topic=topic, server="oslo-bench-host")
    server = messaging.get_rpc_server(transport, target, [Endpoint()], executor="threading")
    server.start()
    # The server consumes once start() returns; a ping round trip proves it.
    client = make_client(transport, topic)
    client.call({}, "count")
    print("READY", flush=True)
    try:
        sys.stdin.read()  # the parent closes stdin to stop us
    finally:
        server.stop()
        server.wait()
        transport.cleanup()


def pct(sorted_vals, p):
    if not sorted_vals:
        return 0.0
    i = min(len(sorted_vals) - 1, max(0, int(-(-p * len(sorted_vals) // 1)) - 1))
    return sorted_vals[i]


def summary(kind, latencies_ns, elapsed_ns, extra=None):
    lat = sorted(latencies_ns)
    seconds = elapsed_ns / 1e9
    s = {
        "kind": kind,
        "count": len(lat),
        "concurrency": 1,
        "seconds": seconds,
        "ratePerSecond": len(lat) / seconds if seconds > 0 else 0.0,
        "p50us": pct(lat, 0.50) / 1000,
        "p90us": pct(lat, 0.90) / 1000,
        "p99us": pct(lat, 0.99) / 1000,
        "p999us": pct(lat, 0.999) / 1000,
        "maxus": (lat[-1] if lat else 0) / 1000,
        "extra": extra or {},
    }
    print("%s: %d ops, %.3f s, %.0f ops/s, p50 %.0f us, p99 %.0f us, max %.0f us" % (
        kind, s["count"], seconds, s["ratePerSecond"], s["p50us"], s["p99us"], s["maxus"]))
    for k, v in sorted(s["extra"].items()):
        print("  %s: %.1f" % (k, v))
    print("RESULT " + json.dumps(s), flush=True)
    return s


def bench(url, mode, count, warmup):
    server = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--url", url, "--mode", "server", "--topic", TOPIC],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        if not line.startswith("READY"):
            raise SystemExit("oslo server did not start: %r" % line)
        transport = make_transport(url)
        client = make_client(transport, TOPIC)
        ctxt = {"user_id": "bench", "project_id": "bench", "request_id": "req-oslo-bench"}
        for _ in range(warmup):
            assert client.call(ctxt, "echo", value="x") == "x"
        if mode == "call":
            lat = []
            start = time.monotonic_ns()
            for _ in range(count):
                t0 = time.monotonic_ns()
                r = client.call(ctxt, "echo", value="x")
                lat.append(time.monotonic_ns() - t0)
                if r != "x":
                    raise SystemExit("bad echo %r" % r)
            summary("oslo-call", lat, time.monotonic_ns() - start)
        else:
            client.call(ctxt, "reset")
            lat = []
            start = time.monotonic_ns()
            for _ in range(count):
                t0 = time.monotonic_ns()
                client.cast(ctxt, "tick")
                lat.append(time.monotonic_ns() - t0)
            published = time.monotonic_ns() - start
            deadline = time.monotonic() + 120
            seen = 0
            while time.monotonic() < deadline:
                seen = client.call(ctxt, "count")
                if seen >= count:
                    break
                time.sleep(0.005)
            consumed = time.monotonic_ns() - start
            summary("oslo-cast", lat, published, {
                "consumed_per_s": seen / (consumed / 1e9),
                "consumed_count": float(seen),
                "consumed_seconds": consumed / 1e9,
            })
            if seen != count:
                print("WARNING: server counted %d casts, expected %d" % (seen, count))
        transport.cleanup()
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True)
    p.add_argument("--mode", choices=["call", "cast", "server"], required=True)
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--topic", default=TOPIC)
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if a.mode == "server":
        serve(a.url, a.topic)
    else:
        bench(a.url, a.mode, a.count, a.warmup)


if __name__ == "__main__":
    main()
