"""Times one cloud-init-sized crawl (the 28 requests of crawl.lua) on one keep-alive connection:
the first crawl of instances k..k+49 (cold: SQLite read + render on the first request), then
the same 50 instances again (warm). Each instance crawls twice, far below the rate limit.
Usage: crawl_once.py PORT NETWORK K"""
import http.client
import statistics
import sys
import time

port, net, k = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
paths = [l.strip().strip('",{}') for l in open(__file__.replace("crawl_once.py", "crawl.lua")).read()
         .split("local crawl = {")[1].split("}")[0].replace(",", "\n").splitlines() if l.strip().strip('",')]
assert len(paths) == 28, paths
conn = http.client.HTTPConnection("127.0.0.1", port)


def crawl(k):
    ip = "10.%d.%d.%d" % ((k >> 16) & 255, (k >> 8) & 255, k & 255)
    headers = {"X-Forwarded-For": ip, "X-Cirrus-Network-ID": net}
    t = time.perf_counter()
    for p in paths:
        conn.request("GET", p, headers=headers)
        r = conn.getresponse()
        r.read()
        assert r.status == 200, (p, r.status)
    return (time.perf_counter() - t) * 1000


cold = [crawl(k + i) for i in range(50)]
warm = [crawl(k + i) for i in range(50)]
print("CRAWL cold_median_ms=%.2f cold_max_ms=%.2f warm_median_ms=%.2f warm_max_ms=%.2f"
      % (statistics.median(cold), max(cold), statistics.median(warm), max(warm)))
