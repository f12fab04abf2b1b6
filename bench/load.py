"""Load generator: GET one URL from `--concurrency` keep-alive connections for `--duration`
seconds, then print one JSON object (requests, errors, rps, latency percentiles).

Standard library only, and meant to run in a process of its own (bench/run.py starts one
per measurement) so that the client's work never shares a Python interpreter with the
server's or the harness's. Only loopback addresses are accepted.

    python bench/load.py --port 8123 --host irev.localhost --path /le-centre/ \\
        --duration 5 --concurrency 4
"""

import argparse
import http.client
import ipaddress
import json
import math
import sys
import threading
import time
from collections import Counter

MAX_DURATION = 120.0
MAX_CONCURRENCY = 64
# Per thread; far above what a loopback run of MAX_DURATION can reach.
MAX_REQUESTS_PER_THREAD = 2_000_000
TIMEOUT = 10.0


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Worker(threading.Thread):
    def __init__(self, address, port, host, path, start_at, deadline, max_requests):
        super().__init__(daemon=True)
        self.address, self.port, self.host, self.path = address, port, host, path
        self.start_at, self.deadline, self.max_requests = start_at, deadline, max_requests
        self.latencies: list[float] = []  # seconds, successful (200) responses only
        self.statuses: Counter = Counter()
        self.exceptions: Counter = Counter()
        self.bytes = 0

    def connect(self):
        return http.client.HTTPConnection(self.address, self.port, timeout=TIMEOUT)

    def run(self):
        headers = {"Host": self.host, "User-Agent": "rncrpv-bench/1", "Accept": "text/html"}
        conn = self.connect()
        clock = time.perf_counter
        while clock() < self.start_at:
            time.sleep(0.0005)
        for _ in range(self.max_requests):
            if clock() >= self.deadline:
                break
            started = clock()
            try:
                conn.request("GET", self.path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.exceptions[type(error).__name__] += 1
                conn.close()
                conn = self.connect()
                continue
            elapsed = clock() - started
            self.statuses[response.status] += 1
            if response.status == 200:
                self.latencies.append(elapsed)
                self.bytes += len(body)
            if response.will_close:
                # e.g. a sync worker: http.client reconnects on the next request.
                conn.close()
        conn.close()


def run_load(address, port, host, path, duration, concurrency, max_requests=None):
    start_at = time.perf_counter() + 0.05  # every thread starts together
    deadline = start_at + duration
    workers = [
        Worker(
            address, port, host, path, start_at, deadline, max_requests or MAX_REQUESTS_PER_THREAD
        )
        for _ in range(concurrency)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(duration + TIMEOUT + 5)
    elapsed = time.perf_counter() - start_at
    latencies = sorted(value for worker in workers for value in worker.latencies)
    statuses = sum((worker.statuses for worker in workers), Counter())
    exceptions = sum((worker.exceptions for worker in workers), Counter())
    ok = statuses.get(200, 0)
    errors = sum(count for status, count in statuses.items() if status != 200)
    errors += sum(exceptions.values())

    def ms(value):
        return None if value is None else round(value * 1000, 3)

    return {
        "host": host,
        "path": path,
        "duration_s": round(elapsed, 3),
        "concurrency": concurrency,
        "requests": ok,
        "errors": errors,
        "statuses": {str(status): count for status, count in sorted(statuses.items())},
        "exceptions": dict(exceptions),
        "rps": round(ok / elapsed, 2) if elapsed > 0 else 0.0,
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "mean_bytes": round(sum(w.bytes for w in workers) / ok) if ok else 0,
        "threads_stuck": sum(worker.is_alive() for worker in workers),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--address", default="127.0.0.1", help="loopback address to connect to")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="localhost", help="Host header (selects the site)")
    parser.add_argument("--path", default="/")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds")
    parser.add_argument("--concurrency", type=int, default=4, help="connections/threads")
    parser.add_argument("--max-requests", type=int, default=None, help="per connection")
    args = parser.parse_args(argv)

    if not ipaddress.ip_address(args.address).is_loopback:
        parser.error("only loopback addresses are allowed")
    if not 0 < args.duration <= MAX_DURATION:
        parser.error(f"--duration must be within (0, {MAX_DURATION}]")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        parser.error(f"--concurrency must be within 1..{MAX_CONCURRENCY}")
    if not args.path.startswith("/"):
        parser.error("--path must start with /")

    result = run_load(
        args.address,
        args.port,
        args.host,
        args.path,
        args.duration,
        args.concurrency,
        args.max_requests,
    )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
