#!/usr/bin/env python3
"""Issue 3 benchmark: boot storm through the REST API with the fake driver.

Starts cirrus-api, cirrus-scheduler and cirrus-compute (fake driver, --hosts simulated hosts in
one process) from CIRRUS_BIN_DIR on the broker CIRRUS_TEST_TRANSPORT_URL, then POSTs --servers
servers from --clients threads (one POST /servers each, no network). Completion is watched
with a light poll (`GET /servers?status=BUILD`, names and ids only, every --poll seconds);
when nothing is left in BUILD one `GET /servers/detail` reads each server's
`OS-SRV-USG:launched_at`, the moment cirrus-api recorded it ACTIVE (same clock as the client).
Reports sustained boots/s (first POST → last launched_at), the POST latency, create→ACTIVE per
server (POST sent → launched_at) and the CPU each process spent per boot (/proc/<pid>/stat).

  CIRRUS_TEST_TRANSPORT_URL=$(scripts/rabbitmq.sh url --port 5680) \\
  CIRRUS_BIN_DIR=$(swift build -c release --show-bin-path) Benchmarks/boot-storm.py --servers 1000 --hosts 200
"""
import argparse
import datetime
import http.client
import json
import os
import shutil
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


_local = threading.local()


def rest_keepalive(port, method, path, body=None, token=None):
    """Like rest(), over one persistent HTTP/1.1 connection per thread (as openstack's
    keystoneauth session keeps one)."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json", **({"X-Auth-Token": token} if token else {})}
    conn.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status >= 400:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return r.headers, (json.loads(data) if data else None)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def cpu_ms(pid):
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def broker_pid(url):
    """The beam.smp serving `url`'s port (RABBITMQ_NODE_PORT in its environment), if local."""
    port = url.rsplit("@", 1)[-1].split("/")[0].rsplit(":", 1)[-1]
    for pid in os.popen("pgrep -x beam.smp").read().split():
        try:
            env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
        except OSError:
            continue
        if f"RABBITMQ_NODE_PORT={port}".encode() in env:
            return int(pid)
    return None


def storm(c, a, tok, image, flavor, prefix, count, pids):
    """POSTs `count` servers from a.clients threads and waits until none is in BUILD."""
    sent, post_ms, active_at = {}, [], {}
    lock = threading.Lock()
    todo = list(range(count - 1, -1, -1))
    done = threading.Event()
    rate = a.rate if prefix != "warm" else 0

    start = time.time()

    def client():
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop()
            t = time.time()
            if rate:
                # Open loop: request i is due at start + i/rate whatever came before; its
                # create→ACTIVE counts from that moment (no coordinated omission).
                due = start + i / rate
                if due > t:
                    time.sleep(due - t)
                t = due
            _, body = rest_keepalive(c.port, "POST", "/compute/v2.1/servers", {"server": {
                "name": f"{prefix}{i}", "imageRef": image, "flavorRef": flavor, "networks": "none"}}, tok)
            with lock:
                sent[body["server"]["id"]] = t
                post_ms.append((time.time() - t) * 1000)

    def poller():
        while not done.is_set():
            time.sleep(a.poll)
            if len(sent) < count:
                continue
            _, body = rest(c.port, "GET", "/compute/v2.1/servers?status=BUILD&limit=100000", token=tok)
            if not body["servers"]:
                done.set()

    cpu0 = {n: cpu_ms(p) for n, p in pids.items()}
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
    cpu = {n: round((cpu_ms(p) - cpu0[n]) / count, 2) for n, p in pids.items()}
    _, body = rest(c.port, "GET", "/compute/v2.1/servers/detail?limit=100000", token=tok)
    for srv in body["servers"]:
        if srv["id"] in sent and srv["status"] in ("ACTIVE", "ERROR"):
            at = srv.get("OS-SRV-USG:launched_at")
            when = datetime.datetime.fromisoformat(at).replace(tzinfo=datetime.timezone.utc).timestamp() if at else time.time()
            active_at[srv["id"]] = (when, srv["status"])
    lat = [(active_at[i][0] - sent[i]) * 1000 for i in sent if i in active_at and active_at[i][1] == "ACTIVE"]
    last = max(v[0] for v in active_at.values())
    errors = sum(1 for v in active_at.values() if v[1] == "ERROR")
    return {
        "servers": count, "hosts": a.hosts, "clients": a.clients, "offered_per_s": rate or None, "active": len(lat), "error": errors,
        "boots_per_s": round(count / (last - start), 1), "accept_per_s": round(count / accepted, 1),
        "post_ms_p50": round(statistics.median(post_ms), 1), "post_ms_p95": round(pct(post_ms, 95), 1),
        "create_to_active_ms_p50": round(statistics.median(lat), 1),
        "create_to_active_ms_p95": round(pct(lat, 95), 1),
        "create_to_active_ms_p99": round(pct(lat, 99), 1),
        "cpu_ms_per_boot": cpu,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--poll", type=float, default=0.2)
    ap.add_argument("--rate", type=float, default=0,
                    help="open loop: POST at this many servers/s (0: as fast as --clients threads can)")
    ap.add_argument("--keep", action="store_true", help="keep the daemons' logs and state directory")
    ap.add_argument("--no-warm", dest="warm", action="store_false",
                    help="skip the warm-up wave (one server per host) and measure cold image caches")
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
        pids = {n: p.pid for n, p in c.procs.items()}
        broker = broker_pid(os.environ.get("CIRRUS_TEST_TRANSPORT_URL", ""))
        if broker:
            pids["rabbitmq (beam.smp)"] = broker
        pids["load generator (this script)"] = os.getpid()
        if a.warm:
            # One server per host first (the scheduler spreads), so every host has the image in
            # _base and its overlay template: the storm then measures steady-state boots.
            print("warm-up:", json.dumps(storm(c, a, tok, image, flavor, "warm", a.hosts, pids)), file=sys.stderr)
        print(json.dumps(storm(c, a, tok, image, flavor, "b", a.servers, pids)))
    finally:
        for n in reversed(list(c.procs)):  # compute first: its last reports still find the API
            c.kill(n)
        if a.keep:
            print("logs and state:", tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)  # ~0.5 GB of instance directories per run


if __name__ == "__main__":
    main()
