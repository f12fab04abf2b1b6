"""Benchmarks of the statistics (docs/statistics.md, "Benchmarks"); PostgreSQL only.

    manage.py stats_bench report --events 10000000
        inserts that many synthetic raw events over last year (one SQL statement), rolls
        them up, then times `stats_report`'s figures for one site and for the network;
    manage.py stats_bench beacon --port 8123 --duration 20
        posts beacons to a running server (gunicorn) from several processes while
        another process loads pages, then checks that every 204 is one stored event.

Use a database of its own (DATABASE_URL=.../rncrpv_stats_bench): `report` adds events."""

import http.client
import json
import multiprocessing
import statistics
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from wagtail.models import Site

from stats.models import Event
from stats.rollup import roll_up
from stats.yearly import yearly_report


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))] if values else None


def post_beacons(port, host, page_id, duration, threads, queue):
    body = json.dumps({"url": f"http://{host}/", "referrer": "", "page": page_id}).encode()
    results = []

    def worker(number):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        statuses, latencies = {}, []
        # One visitor per thread and second, as real visitors would spread out (and
        # under the flood limit).
        deadline = time.perf_counter() + duration
        sent = 0
        while time.perf_counter() < deadline:
            agent = f"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0 bench-{number}-{sent // 50}"
            started = time.perf_counter()
            try:
                conn.request("POST", "/stats/event", body, {
                    "Host": host, "User-Agent": agent, "Content-Type": "text/plain"})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                statuses["error"] = statuses.get("error", 0) + 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            latencies.append(time.perf_counter() - started)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            sent += 1
        results.append((statuses, latencies))

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    statuses, latencies = {}, []
    for s, lat in results:
        for key, value in s.items():
            statuses[key] = statuses.get(key, 0) + value
        latencies += lat
    queue.put((statuses, latencies))


def get_pages(port, host, path, duration, queue):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    deadline, count, errors = time.perf_counter() + duration, 0, 0
    while time.perf_counter() < deadline:
        conn.request("GET", path, headers={"Host": host, "User-Agent": "rncrpv-bench/1"})
        response = conn.getresponse()
        response.read()
        count += response.status == 200
        errors += response.status != 200
    queue.put((count, errors))


class Command(BaseCommand):
    help = "Benchmarks of the statistics (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["report", "beacon"])
        parser.add_argument("--events", type=int, default=10_000_000)
        parser.add_argument("--port", type=int)
        parser.add_argument("--duration", type=float, default=20.0)
        parser.add_argument("--processes", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, what, **options):
        if connection.vendor != "postgresql":
            raise CommandError("PostgreSQL only (DATABASE_URL=postgres://…/rncrpv_stats_bench).")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("Refusing a database whose name does not contain 'bench'.")
        getattr(self, f"bench_{what}")(**options)

    def bench_report(self, events, **options):
        sites = list(Site.objects.order_by("pk").values_list("pk", flat=True))
        national = Site.objects.get(is_default_site=True)
        year = time.localtime().tm_year - 1
        started = time.perf_counter()
        # Events spread over last year's days, the 20 sites (half on the portal) and
        # 200 paths per site; visitors of about 8 events each, a few minutes apart.
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO stats_event (site_id, kind, occurred_at, day, visitor, path,
                                         referrer_host, first_visit)
                SELECT CASE WHEN n %% 2 = 0 THEN %s ELSE (%s)[1 + (n / 2) %% %s] END, 'v',
                       make_date(%s, 1, 1) + ((n / 8) %% 365) * interval '1 day'
                           + interval '8 hours' + (n %% 8) * interval '3 minutes'
                           + ((n / 2920) %% 600) * interval '1 minute',
                       make_date(%s, 1, 1) + ((n / 8) %% 365),
                       md5((n / 8)::text), '/page-' || (n %% 200) || '/',
                       CASE WHEN n %% 40 = 0 THEN 'www.example.org' ELSE '' END, n %% 64 = 0
                FROM generate_series(0, %s - 1) AS n
            """, [national.pk, sites, len(sites), year, year, events])
        inserted = time.perf_counter() - started
        started = time.perf_counter()
        days = roll_up()
        rolled = time.perf_counter() - started
        timings = {}
        for name, ids in (("site", [national.pk]), ("network", sites)):
            runs = []
            for _ in range(7):
                started = time.perf_counter()
                yearly_report(ids, year)
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = {"median_ms": round(statistics.median(runs), 1),
                             "max_ms": round(max(runs), 1)}
        self.stdout.write(json.dumps({
            "raw_events": Event.objects.count(), "insert_s": round(inserted, 1),
            "rollup_s": round(rolled, 1), "site_days": days,
            "yearly_report": timings}, indent=2))

    def bench_beacon(self, port, duration, processes, threads, **options):
        if not port:
            raise CommandError("--port of the running server.")
        national = Site.objects.get(is_default_site=True)
        before = Event.objects.count()
        queue = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=post_beacons, args=(
            port, "localhost", national.root_page_id, duration, threads, queue))
            for _ in range(processes)]
        reader = multiprocessing.Process(target=get_pages, args=(
            port, "irev.localhost", "/le-centre/", duration, queue))
        for process in [*workers, reader]:
            process.start()
        results = [queue.get() for _ in range(processes + 1)]
        for process in [*workers, reader]:
            process.join()
        statuses, latencies, pages = {}, [], None
        for result in results:
            if isinstance(result[0], dict):
                for key, value in result[0].items():
                    statuses[key] = statuses.get(key, 0) + value
                latencies += result[1]
            else:
                pages = result
        stored = Event.objects.count() - before
        accepted = statuses.get(204, 0)
        self.stdout.write(json.dumps({
            "duration_s": duration, "statuses": {str(k): v for k, v in statuses.items()},
            "events_per_s": round(accepted / duration, 1), "stored": stored,
            "lost": accepted - stored,
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
            "pages_served_meanwhile": pages[0], "page_errors": pages[1],
            "pages_per_s": round(pages[0] / duration, 1)}, indent=2))
