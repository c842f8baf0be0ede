#!/usr/bin/env python3
"""Side-by-side sequential-call comparison of cirrus-bench binaries (BENCHMARKS.md).

Each binary gets its own `cirrus-bench server`; every round measures the raw librabbitmq floor
once, then each binary's sequential `call` (the order alternates between rounds), and reads
the CPU time its server and the broker (beam.smp) used. Prints per-round figures and the
medians: rate, rate / floor, p99, and CPU per call of client, server and broker.

  Benchmarks/ab-sequential.py --transport-url rabbit://cirrus:cirrus@127.0.0.1:5611/cirrus \\
      --calls 8000 --rounds 6 /tmp/bench-before /tmp/bench-after

Copy each build's `cirrus-bench` somewhere first (swift build -c release --product cirrus-bench).
The broker must be the only beam.smp on the machine (its CPU is read from /proc).
"""
import argparse
import json
import os
import random
import statistics
import subprocess


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().split(") ")[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def result(args):
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"no RESULT line from {args}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--transport-url", required=True)
    ap.add_argument("--calls", type=int, default=8000)
    ap.add_argument("--warmup", type=int, default=1000, help="the call command's warm-up calls")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--oslo-floor", action="store_true",
                    help="also measure the floor with oslo's topology (raw --oslo-topology) each round")
    ap.add_argument("binaries", nargs="+")
    a = ap.parse_args()
    url = a.transport_url
    broker = int(subprocess.run(["pgrep", "-o", "beam.smp"], capture_output=True, text=True, check=True).stdout.split()[0])
    servers = {}
    for b in a.binaries:
        topic = f"ab_{random.randrange(1 << 30)}"
        p = subprocess.Popen([b, "server", "--transport-url", url, "--topic", topic],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        p.stdout.readline()  # READY
        servers[b] = (p, topic)
    rows = {b: [] for b in a.binaries}
    try:
        for r in range(a.rounds):
            floor = result([a.binaries[0], "raw", "--transport-url", url, "--count", str(a.calls)])["ratePerSecond"]
            oslo_floor = None
            if a.oslo_floor:
                oslo_floor = result([a.binaries[0], "raw", "--oslo-topology", "--transport-url", url,
                                     "--count", str(a.calls)])["ratePerSecond"]
            for b in (a.binaries if r % 2 == 0 else a.binaries[::-1]):
                p, topic = servers[b]
                s0, b0 = cpu_seconds(p.pid), cpu_seconds(broker)
                d = result([b, "call", "--transport-url", url, "--topic", topic, "--count", str(a.calls),
                            "--concurrency", "1", "--warmup", str(a.warmup)])
                n = a.calls + a.warmup
                rows[b].append({
                    "ratio": d["ratePerSecond"] / floor, "rate": d["ratePerSecond"], "p99": d["p99us"],
                    "oslo_ratio": d["ratePerSecond"] / oslo_floor if oslo_floor else 0.0,
                    "client": d["extra"]["client_cpu_us_per_call"],
                    "server": (cpu_seconds(p.pid) - s0) / n * 1e6, "broker": (cpu_seconds(broker) - b0) / n * 1e6})
            print(f"round {r}: floor {floor:.0f}/s" + (f" (oslo topology {oslo_floor:.0f}/s)" if oslo_floor else "") + "  " + "  ".join(
                f"{os.path.basename(b)} {rows[b][-1]['rate']:.0f}/s ({rows[b][-1]['ratio'] * 100:.0f} %)"
                f" cpu {rows[b][-1]['client']:.0f}/{rows[b][-1]['server']:.0f}/{rows[b][-1]['broker']:.0f} us"
                for b in a.binaries), flush=True)
    finally:
        for p, _ in servers.values():
            p.kill()
    for b in a.binaries:
        med = {k: statistics.median(x[k] for x in rows[b]) for k in rows[b][0]}
        print(f"{os.path.basename(b)}: median {med['rate']:.0f} calls/s = {med['ratio'] * 100:.1f} % of the floor, "
              + (f"({med['oslo_ratio'] * 100:.1f} % of the oslo-topology floor), " if a.oslo_floor else "")
              + f"p99 {med['p99']:.0f} us, CPU per call client {med['client']:.1f} / server {med['server']:.1f} / "
              f"broker {med['broker']:.1f} us")


if __name__ == "__main__":
    main()
