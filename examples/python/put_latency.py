#!/usr/bin/env python3
"""Sequential PUT latency over the HTTP API from Python's http.client (one kept-alive connection):
a second client beside launch/bench-put --api http, whose figures include the JDK client's cost.

    python3 examples/python/put_latency.py --port 7301 --count 5000 --warmup 3000
"""

import argparse
import http.client
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7301)
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--warmup", type=int, default=3000)
    p.add_argument("--keys", type=int, default=1000)
    p.add_argument("--value-bytes", type=int, default=100)
    a = p.parse_args()
    conn = http.client.HTTPConnection(a.host, a.port, timeout=30)
    value = b"v" * a.value_bytes

    def put(i):
        conn.request("PUT", "/v1/kv/pybench/%d" % (i % a.keys), body=value, headers={"Content-Type": "text/plain; charset=utf-8"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise SystemExit("PUT answered %d" % r.status)

    for i in range(a.warmup):
        put(i)
    lat = []
    start = time.perf_counter()
    for i in range(a.count):
        t0 = time.perf_counter()
        put(i)
        lat.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    lat.sort()
    pct = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] * 1e3
    print("count=%d duration_s=%.3f throughput_ops=%.1f" % (a.count, elapsed, a.count / elapsed))
    print("latency_ms p50=%.3f p90=%.3f p99=%.3f max=%.3f" % (pct(0.5), pct(0.9), pct(0.99), lat[-1] * 1e3))


if __name__ == "__main__":
    main()
