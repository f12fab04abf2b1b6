"""Beacon load generator: POST /stats/event at a fixed rate (open loop) or as fast as the
server answers (closed loop, --rate 0), from `--threads` keep-alive connections, for
`--duration` seconds; prints one JSON object (statuses, achieved rate, latencies).

Standard library only, run in processes of their own by `manage.py stats_bench beacon`
(like bench/load.py for pages). Each thread sends its share of the rate on a fixed
schedule: a thread that falls behind sends at once, so a server that cannot keep up
shows as an achieved rate below the target, not as a slower schedule. Beacons look like
browsers' (text/plain JSON, a browser's user agent); every thread is a few visitors
(a new user agent every 50 events) so that the flood limit (120 a minute per visitor)
is never what is measured. Only loopback addresses are accepted.

    python bench/beacons.py --port 8123 --targets targets.json --rate 500 --duration 10
"""

import argparse
import http.client
import json
import math
import socket
import sys
import threading
import time
from collections import Counter

TIMEOUT = 10.0
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 bench/{}"


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Connection:
    """A keep-alive HTTP/1.1 client connection that writes each request in one send and
    reads the answer's status, headers and body (Content-Length or chunked) itself.
    http.client costs a few hundred microseconds of CPU per request (header objects, the
    email parser), on the same cores as the server it measures; this costs a tenth."""

    def __init__(self, port):
        self.port, self.sock, self.buffer = port, None, b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def request(self, method, path, body, headers) -> int:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.sock.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)
        return self.read_response()

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise http.client.RemoteDisconnected("closed by the server")
        self.buffer += chunk

    def _take(self, size) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            self._fill()
        line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
        return line

    def read_response(self) -> int:
        while (end := self.buffer.find(b"\r\n\r\n")) < 0:
            self._fill()
        head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4 :]
        status_line, *header_lines = head.split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise http.client.BadStatusLine(status_line)
        status = int(parts[1])
        fields = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if status in (204, 304) or 100 <= status < 200:
            pass
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            while size := int(self._line().split(b";")[0], 16):
                self._take(size + 2)
            while self._line():  # trailers, then the empty line
                pass
        elif "content-length" in fields:
            self._take(int(fields["content-length"]))
        else:  # the body runs to the end of the connection
            while True:
                try:
                    self._fill()
                except http.client.RemoteDisconnected:
                    break
            self.close()
            return status
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status


class Sender(threading.Thread):
    def __init__(self, port, targets, interval, start_at, deadline, name, expect):
        super().__init__(daemon=True)
        self.port, self.targets, self.interval = port, targets, interval
        self.start_at, self.deadline, self.label, self.expect = start_at, deadline, name, expect
        self.statuses: Counter = Counter()
        self.latencies: list[float] = []
        self.late = 0  # sends that left after their slot (the server or client fell behind)

    def run(self):
        conn = Connection(self.port)
        clock, number = time.perf_counter, 0
        slot = self.start_at
        while True:
            now = clock()
            if self.interval:
                if slot >= self.deadline:
                    break
                if slot > now:
                    time.sleep(slot - now)
                elif now - slot > 0.01:
                    self.late += 1
            elif now >= self.deadline:
                break
            host, body, path, extra = self.targets[number % len(self.targets)]
            headers = {
                "Host": host,
                "User-Agent": AGENT.format(f"{self.label}-{number // 50}"),
                "Accept-Encoding": "identity",
                **extra,
            }
            if body:
                headers["Content-Type"] = "text/plain;charset=UTF-8"
            started = clock()
            try:
                status = conn.request("POST" if body else "GET", path, body, headers)
            except (OSError, ValueError, http.client.HTTPException) as error:
                self.statuses[type(error).__name__] += 1
                conn.close()
            else:
                self.statuses[str(status)] += 1
                if status == self.expect:
                    self.latencies.append(clock() - started)
            number += 1
            slot += self.interval
        conn.close()


def run(
    port, targets, rate, duration, threads, name, path="/stats/event", expect=204, start_epoch=None
):
    # Every generator of a measure starts at the same instant (--start-at), once all of
    # them are up: an interpreter starting meanwhile competes with the server for the
    # cores, and the backlog of that first half second was counted against the server.
    delay = 0.1 if start_epoch is None else max(0.1, start_epoch - time.time())
    start_at = time.perf_counter() + delay
    deadline = start_at + duration
    interval = threads / rate if rate else 0.0
    senders = [
        Sender(
            port,
            [
                (t["host"], t.get("body", "").encode(), t.get("path", path), t.get("headers", {}))
                for t in targets
            ],
            interval,
            start_at + (interval * i / threads),
            deadline,
            f"{name}-{i}",
            expect,
        )
        for i in range(threads)
    ]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(duration + TIMEOUT + 5)
    elapsed = time.perf_counter() - start_at
    latencies = sorted(value for sender in senders for value in sender.latencies)
    statuses = sum((sender.statuses for sender in senders), Counter())

    def ms(value):
        return None if value is None else round(value * 1000, 3)

    return {
        "target_rate": rate,
        "duration_s": round(elapsed, 3),
        "threads": threads,
        # This process's CPU (every thread) per request: the generator's share of
        # the cores it shares with the server.
        "cpu_s": round(time.process_time(), 3),
        "sent": sum(statuses.values()),
        "statuses": dict(statuses),
        "ok": statuses.get(str(expect), 0),
        "late": sum(sender.late for sender in senders),
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "latencies_ms": [round(value * 1000, 3) for value in latencies],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--targets",
        required=True,
        help="JSON file: a list of {host, path, body, headers}; with a body the "
        "request is a POST (a beacon), without a GET (a page)",
    )
    parser.add_argument("--rate", type=float, default=0, help="requests/s; 0: closed loop")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--name", default="p")
    parser.add_argument("--expect", type=int, default=204, help="the status that counts")
    parser.add_argument("--start-at", type=float, help="the instant to start (Unix time)")
    args = parser.parse_args(argv)
    if not 0 < args.duration <= 300 or not 1 <= args.threads <= 64 or args.rate < 0:
        parser.error("--duration within (0, 300], --threads within 1..64, --rate >= 0")
    with open(args.targets, encoding="utf-8") as handle:
        targets = json.load(handle)
    json.dump(
        run(
            args.port,
            targets,
            args.rate,
            args.duration,
            args.threads,
            args.name,
            expect=args.expect,
            start_epoch=args.start_at,
        ),
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
