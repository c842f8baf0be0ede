#!/usr/bin/env python3
"""Issue 3 benchmark: boot storm through the REST API with the fake driver.

Starts cirrus-api, cirrus-scheduler and cirrus-compute (fake driver, --hosts simulated hosts in
one process) from CIRRUS_BIN_DIR on the broker CIRRUS_TEST_TRANSPORT_URL, then POSTs --servers
servers from --clients threads (one POST /servers each, no network) and polls
GET /servers/detail every --poll seconds. Reports sustained boots/s (first POST → last ACTIVE),
the POST latency, and create→ACTIVE per server (POST sent → first poll that sees ACTIVE, so the
figure is rounded up by up to one poll interval).

  CIRRUS_TEST_TRANSPORT_URL=$(scripts/rabbitmq.sh url --port 5680) \\
  CIRRUS_BIN_DIR=$(swift build -c release --show-bin-path) Benchmarks/boot-storm.py --servers 1000 --hosts 200
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
from conftest import Cloud  # noqa: E402


def rest(port, method, path, body=None, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **({"X-Auth-Token": token} if token else {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        data = r.read()
        return r.headers, (json.loads(data) if data else None)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--poll", type=float, default=0.05)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bootstorm")
    c = Cloud(tmp, compute_hosts=a.hosts, extra_conf="[DEFAULT]\ninstance_build_timeout = 600\ndebug = false\n")
    for n in ("cirrus-api", "cirrus-scheduler", "cirrus-compute"):
        c.start(n)
    try:
        c.wait_until(lambda: c.cli("flavor", "list", check=False).returncode == 0, 60, "cirrus-api")
        c.wait_until(lambda: len([h for h in c.json("hypervisor", "list") if h.get("State") == "up"]) >= a.hosts,
                     180, f"{a.hosts} hypervisors")
        img = os.path.join(tmp, "img.raw")
        open(img, "wb").truncate(1 << 20)
        image = c.json("image", "create", "--file", img, "--disk-format", "raw", "--container-format", "bare", "img")["id"]
        flavor = next(f["ID"] for f in c.json("flavor", "list") if f["Name"] == "m1.tiny")
        h, _ = rest(c.port, "POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {
            "user": {"name": "admin", "domain": {"name": "Default"}, "password": "adminpw"}}},
            "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}})
        tok = h["X-Subject-Token"]
        sent, post_ms, active_at = {}, [], {}
        lock = threading.Lock()
        todo = list(range(a.servers))

        def client():
            while True:
                with lock:
                    if not todo:
                        return
                    i = todo.pop()
                t = time.time()
                _, body = rest(c.port, "POST", "/compute/v2.1/servers", {"server": {
                    "name": f"b{i}", "imageRef": image, "flavorRef": flavor, "networks": "none"}}, tok)
                with lock:
                    sent[body["server"]["id"]] = t
                    post_ms.append((time.time() - t) * 1000)

        done = threading.Event()

        def poller():
            while not done.is_set():
                _, body = rest(c.port, "GET", "/compute/v2.1/servers/detail?limit=100000", token=tok)
                now = time.time()
                for s in body["servers"]:
                    if s["status"] in ("ACTIVE", "ERROR") and s["id"] not in active_at:
                        active_at[s["id"]] = (now, s["status"])
                if len(active_at) >= a.servers:
                    done.set()
                time.sleep(a.poll)

        start = time.time()
        p = threading.Thread(target=poller)
        p.start()
        threads = [threading.Thread(target=client) for _ in range(a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        accepted = time.time() - start
        p.join(600)
        done.set()
        lat = [(active_at[i][0] - sent[i]) * 1000 for i in sent if i in active_at and active_at[i][1] == "ACTIVE"]
        last = max(v[0] for v in active_at.values())
        errors = sum(1 for v in active_at.values() if v[1] == "ERROR")
        print(json.dumps({
            "servers": a.servers, "hosts": a.hosts, "clients": a.clients, "active": len(lat), "error": errors,
            "boots_per_s": round(a.servers / (last - start), 1), "accept_per_s": round(a.servers / accepted, 1),
            "post_ms_p50": round(statistics.median(post_ms), 1), "post_ms_p95": round(pct(post_ms, 95), 1),
            "create_to_active_ms_p50": round(statistics.median(lat), 1),
            "create_to_active_ms_p95": round(pct(lat, 95), 1), "poll_interval_ms": a.poll * 1000,
        }))
    finally:
        for n in list(c.procs):
            c.kill(n)
        print("logs:", tmp, file=sys.stderr)


if __name__ == "__main__":
    main()
