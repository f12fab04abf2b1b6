"""Where does one target's time go? Profiles requests to a target in-process (Django's
test client, settings portal.settings.bench) on the database of the last `make bench`
run (`bench-results/bench.sqlite3`, or DATABASE_URL): wall time per request, each SQL
query's time (summed over the requests, slowest first), and cProfile's top functions.

    .venv/bin/python bench/profile_target.py national_agenda [--requests 20] [--top 25]
    .venv/bin/python bench/profile_target.py --host irev.localhost --path /agenda/?when=passes

Nothing is seeded or wiped: run `make bench` (or bench/run.py --only NAME) first.
The cProfile dump is written to bench-results/profile/<name>.prof (for snakeviz etc.).
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.bench"

from bench.targets import BASELINE, TARGETS  # noqa: E402

LITERALS = re.compile(r"'[^']*'|\b\d+\b")


def shape(sql: str) -> str:
    """The query with its literals blanked, so that repeats group together."""
    return LITERALS.sub("?", sql)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", nargs="?", help="a target of bench/targets.py")
    parser.add_argument("--host")
    parser.add_argument("--path")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql-width", type=int, default=220)
    args = parser.parse_args(argv)
    targets = {t.name: t for t in [BASELINE, *TARGETS]}
    if args.name:
        if args.name not in targets:
            parser.error(f"unknown target; known: {sorted(targets)}")
        host, path, name = targets[args.name].host, targets[args.name].path, args.name
    elif args.host and args.path:
        host, path, name = args.host, args.path, "adhoc"
    else:
        parser.error("give a target name, or --host and --path")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=host)
    for _ in range(3):  # warm caches, as bench/run.py does before counting
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    timings = defaultdict(lambda: [0, 0.0, ""])

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = timings[shape(sql)]
            entry[0] += 1
            entry[1] += time.perf_counter() - started
            entry[2] = entry[2] or sql

    walls = []
    with connection.execute_wrapper(timer):
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(path)
            walls.append(time.perf_counter() - started)
    sql_total = sum(entry[1] for entry in timings.values())
    walls.sort()
    n = args.requests
    print(f"{name}: http://{host}{path}  {n} requests, {len(response.content)} bytes")
    print(f"wall per request: median {walls[n // 2] * 1000:.1f} ms, min {walls[0] * 1000:.1f} ms")
    print(
        f"SQL per request: {sql_total / n * 1000:.1f} ms in "
        f"{sum(e[0] for e in timings.values()) / n:.0f} queries "
        f"(execution and fetching by the driver; model instances are built outside)"
    )
    print("\nqueries, slowest first (ms per request, calls per request, SQL):")
    for _, (calls, seconds, sql) in sorted(timings.items(), key=lambda kv: -kv[1][1]):
        print(f"{seconds / n * 1000:8.2f} ms {calls / n:4.0f}x  {sql[: args.sql_width]}")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    out_dir = ROOT / "bench-results" / "profile"
    out_dir.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out_dir / f"{name}.prof")
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
