"""The load generator when Debian's `wrk` is installed (`make bench` installs it): C,
event-driven, far from being the bottleneck where bench/load.py (Python threads) tops out
near 1,300 requests a second. Its report is read into the same figures as load.py's.

    wrk -t2 -c16 -d3s --latency -H "Host: irev.localhost" http://127.0.0.1:8123/le-centre/
"""

import re
import shutil
import subprocess

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def available() -> str | None:
    return shutil.which("wrk")


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * UNITS[unit], 3)


def parse(output: str, concurrency: int, duration: float) -> dict:
    """wrk's --latency report as load.py's figures (every non-2xx/3xx answer and socket
    error counted as an error)."""
    percentiles = {
        int(p): milliseconds(value)
        for p, value in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)\s*$", output, re.M)
    }
    requests = int(re.search(r"^\s*(\d+) requests in ", output, re.M).group(1))
    read = re.search(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in socket.groups()) if socket else 0
    )
    ok = requests - (int(bad.group(1)) if bad else 0)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total_bytes = float(read.group(1)) * SIZES[read.group(2)] if read else 0
    return {
        "duration_s": duration,
        "concurrency": concurrency,
        "requests": ok,
        "errors": errors,
        "statuses": {"2xx/3xx": ok, "other": errors},
        "rps": round(rps * ok / requests, 2) if requests else 0.0,
        "p50_ms": percentiles.get(50),
        "p95_ms": None,  # wrk reports 50, 75, 90 and 99
        "p90_ms": percentiles.get(90),
        "p99_ms": percentiles.get(99),
        "mean_bytes": round(total_bytes / requests) if requests else 0,
    }


def load(address, port, host, path, duration, concurrency, threads=2) -> dict:
    command = [
        "wrk",
        f"-t{min(threads, concurrency)}",
        f"-c{concurrency}",
        f"-d{duration:g}s",
        "--latency",
        "--timeout",
        "10s",
        "-H",
        f"Host: {host}",
        f"http://{address}:{port}{path}",
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, stdin=subprocess.DEVNULL
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse(done.stdout, concurrency, duration)
