#!/usr/bin/env python3
"""Issue 4 item 5: the seed's scale notes — one flat network with 600+ instances, and 250
instances on 30 compute nodes — with the real daemons (fake compute driver, 30 simulated hosts),
the real DHCP agent (dnsmasq in its namespace) and metadata proxy.

Boots N servers on one network in batches (Nova multi-create), then measures, with the network
full: a new port's IP allocation (REST port create latency), the agent's reload (port create →
dnsmasq answering a DHCP DISCOVER for it, via Benchmarks/dhcp-bench/dhcp_probe.py in a client
namespace), and a metadata request for the newest instance from its own namespace.

Needs root, the debug or release daemons (CIRRUS_BIN_DIR) and a broker (CIRRUS_TEST_TRANSPORT_URL):
  CIRRUS_TEST_TRANSPORT_URL=$(scripts/rabbitmq.sh url --port 5680) \\
  CIRRUS_BIN_DIR=$(swift build -c release --show-bin-path) Benchmarks/network-scale.py --servers 650
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "e2e"))
from conftest import Cloud  # noqa: E402


def rest(c, method, path, body=None, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{c.port}{path}", method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json", **({"X-Auth-Token": token} if token else {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        data = r.read()
        return r.headers, (json.loads(data) if data else None)


def token(c):
    h, _ = rest(c, "POST", "/v3/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"name": "Default"}, "password": "adminpw"}}},
        "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}})
    return h["X-Subject-Token"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--servers", type=int, default=650)
    ap.add_argument("--hosts", type=int, default=30)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--probes", type=int, default=20)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="netscale")
    c = Cloud(tmp, compute_hosts=a.hosts, extra_conf="[DEFAULT]\ninstance_build_timeout = 600\n")
    for n in ("cirrus-api", "cirrus-scheduler", "cirrus-compute", "cirrus-dhcp-agent", "cirrus-metadata-proxy"):
        c.start(n)
    net_id = None
    try:
        c.wait_until(lambda: c.cli("flavor", "list", check=False).returncode == 0, 60, "cirrus-api")
        c.wait_until(lambda: len([h for h in c.json("hypervisor", "list") if h.get("State") == "up"]) >= a.hosts,
                     120, "hypervisors")
        img = os.path.join(tmp, "img.raw")
        subprocess.run(["qemu-img", "create", "-q", "-f", "raw", img, "1M"], check=True)
        image = c.json("image", "create", "--file", img, "--disk-format", "raw", "--container-format", "bare", "img")["id"]
        net = c.json("network", "create", "--provider-network-type", "flat", "--provider-physical-network", "public",
                     "--share", "scale")
        net_id = net["id"]
        c.cli("subnet", "create", "--network", "scale", "--subnet-range", "10.90.0.0/22", "--gateway", "10.90.0.1",
              "scale-subnet")
        tok = token(c)
        flavor = next(f["ID"] for f in c.json("flavor", "list") if f["Name"] == "m1.tiny")
        t0 = time.time()
        batch_ms = []
        for i in range(0, a.servers, a.batch):
            n = min(a.batch, a.servers - i)
            t = time.time()
            rest(c, "POST", "/compute/v2.1/servers", {"server": {
                "name": f"s{i}", "imageRef": image, "flavorRef": flavor, "networks": [{"uuid": net_id}],
                "min_count": n, "max_count": n}}, tok)
            batch_ms.append((time.time() - t) * 1000)
        accepted = time.time() - t0

        def active_count():
            _, body = rest(c, "GET", "/compute/v2.1/servers/detail?limit=5000", token=tok)
            states = [s["status"] for s in body["servers"]]
            return states.count("ACTIVE"), states.count("ERROR"), len(states)
        c.wait_until(lambda: sum(active_count()[:2]) >= a.servers, 900, "servers ACTIVE")
        all_active = time.time() - t0
        active, error, total = active_count()
        _, body = rest(c, "GET", "/compute/v2.1/servers/detail?limit=5000", token=tok)
        hosts = {s.get("OS-EXT-SRV-ATTR:host") for s in body["servers"]}
        host_file = os.path.join(c.state, "dhcp", net_id, "host")
        c.wait_until(lambda: os.path.exists(host_file) and sum(1 for _ in open(host_file)) >= a.servers, 120,
                     "dnsmasq host file complete")
        entries = sum(1 for _ in open(host_file))

        # With the network full: new ports, each timed from REST create to a DHCPOFFER.
        probe = os.path.join(REPO, "Benchmarks", "dhcp-bench", "dhcp_probe.py")
        ns = "netscale-c"
        subprocess.run(["ip", "netns", "add", ns], check=True)
        subprocess.run(["ip", "link", "add", "nsc-o", "type", "veth", "peer", "name", "nsc-i"], check=True)
        subprocess.run(["ip", "link", "set", "nsc-i", "netns", ns], check=True)
        subprocess.run(["ip", "link", "set", "nsc-o", "master", "brq" + net_id[:11], "up"], check=True)
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "nsc-i", "up"], check=True)
        create_ms, served_ms = [], []
        prober = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, probe, "nsc-i"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        for i in range(a.probes):
            t = time.time()
            _, p = rest(c, "POST", "/networking/v2.0/ports", {"port": {"network_id": net_id, "name": f"probe{i}"}}, tok)
            create_ms.append((time.time() - t) * 1000)
            prober.stdin.write(p["port"]["mac_address"] + "\n")
            prober.stdin.flush()
            answer = prober.stdout.readline().split()
            if answer and answer[0] == "ok":
                served_ms.append((time.time() - t) * 1000)
            else:
                print("probe:", answer, file=sys.stderr)
        prober.stdin.close()
        prober.wait(10)
        result = {
            "servers": a.servers, "hosts_used": len(hosts), "active": active, "error": error,
            "accept_s": round(accepted, 1), "all_active_s": round(all_active, 1),
            "boot_request_ms_per_batch_p50": round(statistics.median(batch_ms), 1),
            "dnsmasq_host_entries": entries,
            "port_create_ms_p50": round(statistics.median(create_ms), 1), "port_create_ms_max": round(max(create_ms), 1),
            "port_to_dhcpoffer_ms_p50": round(statistics.median(served_ms), 1) if served_ms else None,
            "port_to_dhcpoffer_ms_max": round(max(served_ms), 1) if served_ms else None,
            "probes_served": len(served_ms), "probes": a.probes,
        }
        print(json.dumps(result))
    finally:
        subprocess.run(["ip", "netns", "del", "netscale-c"], capture_output=True)
        subprocess.run(["ip", "link", "del", "nsc-o"], capture_output=True)
        for n in list(c.procs):
            c.kill(n)
        for pid in subprocess.run(["pgrep", "-f", c.state + "/"], capture_output=True, text=True).stdout.split():
            subprocess.run(["kill", pid])
        if net_id:
            subprocess.run(["ip", "netns", "del", "qdhcp-" + net_id], capture_output=True)
            subprocess.run(["ip", "link", "del", "brq" + net_id[:11]], capture_output=True)
        print("logs:", tmp, file=sys.stderr)


if __name__ == "__main__":
    main()
