#!/usr/bin/env python3
"""Issue 6 benchmark: `server create` -> the guest's `cirrus-guest: instance-id=...` console line.

Runs against the all-in-one deployment (deploy/all-in-one.sh up, qemu driver): sources
var/aio/openrc, drives the release `cirrus` CLI. Measures N sequential boots (p50/p90/max) and
M boots at once on the one host. The accelerator is the deployment's `[libvirt] virt_type`;
`--virt-type kvm|qemu|auto` rewrites it in var/aio/cirrus.conf and restarts cirrus-compute first.

Usage: Benchmarks/guest-boot-bench.py [--sequential 10] [--parallel 10] [--virt-type qemu]
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AIO = os.path.join(REPO, "var", "aio")
LINE = re.compile(r"cirrus-guest: instance-id=(\S+) hostname=(\S+) local-ipv4=(\S+) key=(.*)")


def env():
    e = dict(os.environ)
    for line in open(os.path.join(AIO, "openrc")):
        m = re.match(r"export (\w+)=(.*)", line.strip())
        if m:
            e[m.group(1)] = m.group(2)
    return e


def cli_path():
    out = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout.strip()
    return os.path.join(out, "cirrus")


CLI = None
ENV = None


def cli(*args, check=True):
    r = subprocess.run([CLI, *args], env=ENV, capture_output=True, text=True, timeout=300)
    if check and r.returncode != 0:
        raise SystemExit(f"cirrus {' '.join(args)}: {r.stderr}{r.stdout}")
    return r.stdout


def set_virt_type(vt):
    conf = os.path.join(AIO, "cirrus.conf")
    text = open(conf).read()
    text = re.sub(r"\n\[libvirt\]\nvirt_type = \S+\n", "\n", text)
    text += f"\n[libvirt]\nvirt_type = {vt}\n"
    open(conf, "w").write(text)
    pid_file = os.path.join(AIO, "pids", "cirrus-compute.pid")
    if os.path.exists(pid_file):
        try:
            os.kill(int(open(pid_file).read().strip()), signal.SIGTERM)
        except (OSError, ValueError):
            pass
        time.sleep(3)
    subprocess.run([os.path.join(REPO, "deploy", "all-in-one.sh"), "up", "--no-build"], cwd=REPO,
                   capture_output=True, text=True)


def create(name):
    cli("server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--key-name", "mykey", "--network",
        "public", name, "-f", "value", "-c", "id")


def guest_line(name):
    out = cli("console", "log", "show", name, check=False)
    m = LINE.search(out)
    return m.group(0) if m and m.group(1) != "none" else None


def delete(names):
    for n in names:
        cli("server", "delete", n, check=False)
    deadline = time.time() + 120
    while time.time() < deadline:
        listed = {s["Name"] for s in json.loads(cli("server", "list", "-f", "json"))}
        if not listed.intersection(names):
            return
        time.sleep(1)


def boot_and_wait(names, timeout):
    start = time.time()
    for n in names:
        create(n)
    done = {}
    while len(done) < len(names) and time.time() - start < timeout:
        for n in names:
            if n not in done and guest_line(n):
                done[n] = time.time() - start
        time.sleep(0.2)
    return done


def summary(label, times, n):
    if not times:
        return {"label": label, "booted": 0, "of": n}
    s = sorted(times)
    return {"label": label, "booted": len(s), "of": n, "p50_s": round(statistics.median(s), 2),
            "p90_s": round(s[min(len(s) - 1, int(0.9 * len(s)))], 2), "max_s": round(s[-1], 2)}


def main():
    global CLI, ENV
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sequential", type=int, default=10)
    ap.add_argument("--parallel", type=int, default=10)
    ap.add_argument("--virt-type", choices=["kvm", "qemu", "auto"])
    ap.add_argument("--timeout", type=float, default=180)
    a = ap.parse_args()
    CLI, ENV = cli_path(), env()
    if a.virt_type:
        set_virt_type(a.virt_type)
    accel = a.virt_type or "as configured"
    results = []
    seq = []
    for i in range(a.sequential):
        name = f"bench-s{i}"
        t = boot_and_wait([name], a.timeout)
        seq += list(t.values())
        print(f"sequential {i}: {t.get(name, 'no line')}", file=sys.stderr)
        delete([name])
    results.append(summary(f"sequential boots ({accel})", seq, a.sequential))
    if a.parallel:
        names = [f"bench-p{i}" for i in range(a.parallel)]
        t = boot_and_wait(names, a.timeout * 2)
        results.append(summary(f"{a.parallel} boots at once ({accel})", list(t.values()), a.parallel))
        delete(names)
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
