"""Benchmarks of the statistics (docs/statistics.md, "Benchmarks"); PostgreSQL only, on a
database whose name contains "bench". One JSON document on stdout, progress on stderr.

    manage.py stats_bench all [--events 10000000]
        seed (when needed), report and beacon below, in one JSON document;
    manage.py stats_bench seed --events 10000000
        inserts synthetic raw events over last year (one SQL statement) until that year
        holds that many, and rolls them up (daily and monthly rollups);
    manage.py stats_bench report
        times the yearly report (`stats_report`'s figures) for the portal and the network,
        reading monthly rollups (now) and daily ones only (before), interleaved, and checks
        that both give the same figures;
    manage.py stats_bench beacon [--rates 250,500,1000,1500] [--step 10]
        starts gunicorn (portal.settings.bench, the Redis queue on REDIS_URL), measures the
        Django ceiling (/bench-ceiling/), beacons as fast as they are answered (the lean
        path, and through Django's stack for comparison), then beacons at increasing
        rates while pages are served, and after each step checks that every 204 is one
        stored event (`lost` must be 0). `--port` uses a server already running instead."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Max

from wagtail.models import Site

from stats.models import Event
from stats.rollup import roll_up
from stats.yearly import yearly_report

ROOT = Path(settings.BASE_DIR)
BEACONS = ROOT / "bench" / "beacons.py"
BENCH_SETTINGS = "portal.settings.bench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"[stats_bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def cpu_seconds(pids) -> float:
    """utime + stime of these processes (all their threads), from /proc (Linux)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Gunicorn:
    """gunicorn serving portal.wsgi (bench settings) on a free loopback port; with
    `server="granian"` the Rust server granian instead (production's beacon server,
    docs/deployment.md), same processes and threads."""

    def __init__(self, workers, threads, env, server="gunicorn"):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        if server == "granian":
            self.command = [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "portal.wsgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--blocking-threads",
                str(threads),
                "--no-ws",
                "--http",
                "1",
                "--working-dir",
                str(ROOT),
                "--log-level",
                "warning",
            ]
        else:
            self.command = [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--keep-alive",
                "5",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
            ]
        self.name = server
        self.env = env
        self.process = None

    def __enter__(self):
        import http.client

        log_path = ROOT / "bench-results" / f"stats-{self.name}.log"
        log_path.parent.mkdir(exist_ok=True)
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"{self.name} exited, see {log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/bench-ceiling/", headers={"Host": "localhost"})
                if conn.getresponse().status == 200:
                    log(f"{self.name} pid {self.process.pid} on port {self.port}")
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise CommandError(f"{self.name} did not start")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # workers flush their queue at exit (stats.queue)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def pids(self):
        """The server and its workers (the children of any of its threads)."""
        pid, children = self.process.pid, set()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                children.update(Path(f"/proc/{pid}/task/{task}/children").read_text().split())
        except OSError:
            pass
        return [pid, *sorted(map(int, children))]


class Split:
    """Production's split layout (docs/deployment.md): gunicorn serves the pages and
    granian the beacons (`/stats/event`, routed to it by the proxy), each its own
    processes; `port` is the beacons' server, `page_port` the pages'."""

    def __init__(self, workers, threads, env, beacon_workers, beacon_threads):
        self.pages = Gunicorn(workers, threads, env)
        self.beacons = Gunicorn(beacon_workers, beacon_threads, env, server="granian")
        self.port, self.page_port = self.beacons.port, self.pages.port

    def __enter__(self):
        self.pages.__enter__()
        try:
            self.beacons.__enter__()
        except BaseException:
            self.pages.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        self.beacons.__exit__()
        self.pages.__exit__()

    def pids(self):
        return self.beacons.pids() + self.pages.pids()


class Command(BaseCommand):
    help = "Benchmarks of the statistics (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["all", "seed", "report", "beacon"])
        parser.add_argument("--events", type=int, default=10_000_000)
        parser.add_argument("--report-runs", type=int, default=7, help="yearly report runs (7)")
        parser.add_argument("--port", type=int, help="a server already running (beacon)")
        parser.add_argument(
            "--rates", default="250,500,750,1000,1250,1500", help="beacons per second of each step"
        )
        parser.add_argument("--step", type=float, default=10.0, help="seconds per step (10)")
        parser.add_argument(
            "--closed", type=float, default=6.0, help="seconds of each closed-loop run (6)"
        )
        parser.add_argument(
            "--warmup", type=float, default=20.0, help="seconds of beacons before measuring (20)"
        )
        parser.add_argument(
            "--page-rate",
            type=float,
            default=20.0,
            help="pages per second served during the steps (20)",
        )
        parser.add_argument(
            "--beacon-workers",
            type=int,
            default=1,
            help="granian processes for the beacons with --server split (1)",
        )
        parser.add_argument("--beacon-threads", type=int, default=2, help="threads of each (2)")
        parser.add_argument(
            "--server",
            choices=["gunicorn", "granian", "split"],
            default="gunicorn",
            help="gunicorn for everything (default), granian for "
            "everything, or split: production's layout, gunicorn for "
            "the pages and granian for the beacons",
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--rounds", type=int, default=3, help="rounds of ceiling / lean / Django-stack runs (3)"
        )
        parser.add_argument(
            "--clients", type=int, default=2, help="load generator processes for beacons (2)"
        )

    def handle(self, *args, what, **options):
        if connection.vendor != "postgresql":
            raise CommandError("PostgreSQL only (DATABASE_URL=postgres://…/rncrpv_statsbench).")
        if "bench" not in connection.settings_dict["NAME"]:
            raise CommandError("Refusing a database whose name does not contain 'bench'.")
        started, load_start = time.time(), os.getloadavg()
        result = {
            "what": what,
            "database": connection.settings_dict["NAME"],
            "cpus": os.cpu_count(),
        }
        if what in ("all", "seed"):
            result["seed"] = self.seed(options["events"])
        if what in ("all", "report"):
            result["yearly_report"] = self.report(options["report_runs"])
        if what in ("all", "beacon"):
            result["beacon"] = self.beacon(**options)
        result["loadavg_start"] = [round(v, 2) for v in load_start]
        result["loadavg_end"] = [round(v, 2) for v in os.getloadavg()]
        result["total_s"] = round(time.time() - started, 1)
        self.stdout.write(json.dumps(result, indent=2))

    # --- the yearly report over 10 million events ----------------------------------

    def seed(self, events):
        year = time.localtime().tm_year - 1
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM stats_event WHERE day BETWEEN %s AND %s",
                [f"{year}-01-01", f"{year}-12-31"],
            )
            present = cursor.fetchone()[0]
        figures = {"year": year, "present": present, "inserted": 0}
        if present < events:
            missing = events - present
            log(f"inserting {missing} synthetic events over {year}")
            started = time.perf_counter()
            self.insert_events(year, present, missing)
            figures.update(inserted=missing, insert_s=round(time.perf_counter() - started, 1))
        log("rolling up")
        started = time.perf_counter()
        figures["site_days_rolled_up"] = roll_up()
        figures["rollup_s"] = round(time.perf_counter() - started, 1)
        return figures

    def insert_events(self, year, first, count):
        """Events spread over the year's days, the 20 sites (half on the portal) and 200
        paths per site; visitors of about 8 events each, a few minutes apart."""
        sites = list(Site.objects.order_by("pk").values_list("pk", flat=True))
        national = Site.objects.get(is_default_site=True)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO stats_event (site_id, kind, occurred_at, day, visitor, path,
                                         referrer_host, first_visit, first_of_year)
                SELECT CASE WHEN n %% 2 = 0 THEN %s ELSE (%s)[1 + (n / 2) %% %s] END, 'v',
                       make_date(%s, 1, 1) + ((n / 8) %% 365) * interval '1 day'
                           + interval '8 hours' + (n %% 8) * interval '3 minutes'
                           + ((n / 2920) %% 600) * interval '1 minute',
                       make_date(%s, 1, 1) + ((n / 8) %% 365),
                       md5((n / 8)::text), '/page-' || (n %% 200) || '/',
                       CASE WHEN n %% 40 = 0 THEN 'www.example.org' ELSE '' END, n %% 64 = 0,
                       n %% 24 = 0
                FROM generate_series(%s, %s - 1) AS n
            """,
                [national.pk, sites, len(sites), year, year, first, first + count],
            )

    def report(self, runs):
        year = time.localtime().tm_year - 1
        sites = list(Site.objects.order_by("pk").values_list("pk", flat=True))
        national = Site.objects.get(is_default_site=True).pk
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM stats_event WHERE day BETWEEN %s AND %s",
                [f"{year}-01-01", f"{year}-12-31"],
            )
            events = cursor.fetchone()[0]
        figures = {
            "year": year,
            "raw_events_that_year": events,
            "runs": runs,
            # The yearly activity report (issue #24): audience from the rollups plus
            # the sections (events, publications, groups, showcase, letters).
            "target_ms": 2000,
            "now": "monthly page rollups (PageMonth) for whole months, daily ones around",
            "before": "daily page rollups only (PageDay), as the per-page table was "
            "read before PageMonth (the rest of the report is shared)",
        }
        for name, ids in (("site", [national]), ("network", sites)):
            timings = {"now": [], "before": []}
            outputs = {}
            for _ in range(runs):  # interleaved: the machine's noise hits both alike
                for variant, months in (("now", True), ("before", False)):
                    started = time.perf_counter()
                    outputs[variant] = yearly_report(ids, year, months=months)
                    timings[variant].append((time.perf_counter() - started) * 1000)
            now, before = (statistics.median(timings[v]) for v in ("now", "before"))
            figures[name] = {
                "median_ms": round(now, 1),
                "min_ms": round(min(timings["now"]), 1),
                "max_ms": round(max(timings["now"]), 1),
                "before_median_ms": round(before, 1),
                "ratio_to_before": round(now / before, 3),
                "same_figures": outputs["now"] == outputs["before"],
                "page_views": outputs["now"]["page_views"],
                "pages": len(outputs["now"]["pages"]),
            }
            log(f"yearly report {name}: {now:.1f} ms (before {before:.1f} ms)")
            if not figures[name]["same_figures"]:
                raise CommandError(f"{name}: the monthly rollups changed the figures")
        return figures

    # --- beacon ingestion ----------------------------------------------------------

    def targets(self):
        """Beacons for live pages of every site (up to 20 each), and two pages to serve."""
        beacons = []
        for site in Site.objects.select_related("root_page").order_by("pk"):
            root = site.root_page.url_path
            for pk, url_path in (
                site.root_page.get_descendants(inclusive=True)
                .live()
                .order_by("path")
                .values_list("pk", "url_path")[:20]
            ):
                path = "/" + url_path[len(root) :]
                beacons.append(
                    {
                        "host": site.hostname,
                        "body": json.dumps(
                            {
                                "url": f"http://{site.hostname}{path}",
                                "referrer": "",
                                "page": pk,
                                "first_visit": False,
                            }
                        ),
                    }
                )
        pages = [
            {"host": "irev.localhost", "path": "/le-centre/"},
            {"host": "localhost", "path": "/le-reseau/"},
        ]
        return beacons, pages

    def load(
        self, port, targets, *, rate, duration, processes, threads, name, expect=204, start_at=None
    ):
        """Start `processes` generators (bench/beacons.py) sharing `rate`, all sending
        from `start_at` (Unix time); returns them."""
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        json.dump(targets, handle)
        handle.close()
        return [
            subprocess.Popen(
                [
                    sys.executable,
                    str(BEACONS),
                    "--port",
                    str(port),
                    "--targets",
                    handle.name,
                    "--rate",
                    str(rate / processes),
                    "--duration",
                    str(duration),
                    "--threads",
                    str(threads),
                    "--name",
                    f"{name}{number}",
                    "--expect",
                    str(expect),
                    *(["--start-at", str(start_at)] if start_at else []),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for number in range(processes)
        ], handle.name

    @staticmethod
    def collect(generators):
        generators, path = generators
        results = [json.loads(process.communicate()[0]) for process in generators]
        os.unlink(path)
        merged = {"sent": 0, "ok": 0, "late": 0, "cpu_s": 0.0, "statuses": {}, "latencies": []}
        for result in results:
            for key in ("sent", "ok", "late", "cpu_s"):
                merged[key] += result[key]
            for status, count in result["statuses"].items():
                merged["statuses"][status] = merged["statuses"].get(status, 0) + count
            merged["latencies"] += result["latencies_ms"]
        merged["duration_s"] = max(result["duration_s"] for result in results)
        merged["latencies"].sort()
        return merged

    def drain(self, timeout=60.0) -> float:
        """Wait until the queue is empty (every queued event committed); seconds waited."""
        from stats import queue

        started = time.perf_counter()
        client = queue.client()
        while client is not None and client.llen(queue.QUEUE_KEY):
            if time.perf_counter() - started > timeout:
                raise CommandError("the queue did not drain: is a flusher running?")
            time.sleep(0.05)
        return time.perf_counter() - started

    def measure(
        self,
        server,
        port,
        targets,
        *,
        rate,
        duration,
        processes,
        threads,
        name,
        expect=204,
        pages=None,
        page_rate=0,
    ):
        page_port = getattr(server, "page_port", port)
        from bench.beacons import percentile

        last_id = Event.objects.aggregate(last=Max("pk"))["last"] or 0
        pids = server.pids() if server else []
        # One start for every generator, a second ahead: all of them are up by then.
        start_at = time.time() + 1.0
        generators = self.load(
            port,
            targets,
            rate=rate,
            duration=duration,
            processes=processes,
            threads=threads,
            name=name,
            expect=expect,
            start_at=start_at,
        )
        readers = (
            self.load(
                page_port,
                pages,
                rate=page_rate,
                duration=duration,
                processes=1,
                threads=2,
                name=f"{name}-pages",
                expect=200,
                start_at=start_at,
            )
            if pages and page_rate
            else None
        )
        time.sleep(max(0.0, start_at - time.time()))  # the CPU counted from their start
        cpu, busy = cpu_seconds(pids), machine_busy()
        sent = self.collect(generators)
        served = self.collect(readers) if readers else None
        cpu = cpu_seconds(pids) - cpu
        busy_after = machine_busy()
        machine = (busy_after[0] - busy[0]) / max(1, busy_after[1] - busy[1])
        drained = self.drain() if expect == 204 else 0.0
        stored = Event.objects.filter(pk__gt=last_id).count() if expect == 204 else None
        ok, elapsed = sent["ok"], sent["duration_s"]
        figures = {
            "target_per_s": rate or None,
            "achieved_per_s": round(ok / elapsed, 1),
            "sent": sent["sent"],
            "answered_ok": ok,
            "statuses": sent["statuses"],
            "p50_ms": percentile(sent["latencies"], 0.5),
            "p99_ms": percentile(sent["latencies"], 0.99),
            "server_cpu_ms_per_request": round(cpu * 1000 / ok, 3) if ok and pids else None,
            "server_cpu_cores": round(cpu / elapsed, 2) if pids else None,
            "client_cpu_ms_per_request": round(sent["cpu_s"] * 1000 / ok, 3) if ok else None,
            "machine_cpu_busy": round(machine, 2),
            "late_sends": sent["late"],
            "loadavg_1m": round(os.getloadavg()[0], 2),
        }
        if expect == 204:
            figures.update(stored=stored, lost=ok - stored, drain_s=round(drained, 2))
        if served:
            figures["pages"] = {
                "served": served["ok"],
                "statuses": served["statuses"],
                "per_s": round(served["ok"] / served["duration_s"], 1),
                "p50_ms": percentile(served["latencies"], 0.5),
                "p99_ms": percentile(served["latencies"], 0.99),
            }
        log(
            f"{name}: {figures['achieved_per_s']}/s (target {rate or 'max'}), "
            f"p99 {figures['p99_ms']} ms, cpu {figures['server_cpu_ms_per_request']} ms/req, "
            f"lost {figures.get('lost')}, statuses {sent['statuses']}"
        )
        return figures

    def beacon(self, port, rates, step, page_rate, workers, threads, clients, server, **options):
        beacons, pages = self.targets()
        ceiling = [{"host": "localhost", "path": "/bench-ceiling/"}]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS, "PYTHONUNBUFFERED": "1"}
        if not env.get("REDIS_URL"):
            log("no REDIS_URL: beacons are inserted one by one (no queue)")
        self.collect_static(env)
        from contextlib import nullcontext

        if port:
            context = nullcontext()
        elif server == "split":
            context = Split(
                workers, threads, env, options["beacon_workers"], options["beacon_threads"]
            )
        else:
            context = Gunicorn(workers, threads, env, server)
        result = {
            "server": {
                "name": server,
                "workers": workers,
                "threads": threads,
                **(
                    {
                        "beacon_workers": options["beacon_workers"],
                        "beacon_threads": options["beacon_threads"],
                    }
                    if server == "split"
                    else {}
                ),
                "queue": bool(env.get("STATS_QUEUE_URL", env.get("REDIS_URL"))),
                "database": connection.settings_dict["NAME"],
            },
            "beacon_targets": len(beacons),
            "steps": [],
        }
        with context as server:
            port = port or server.port
            closed = {"processes": clients, "threads": 4, "duration": options["closed"]}
            # Warm up every worker's maps (each target is a miss, a few queries and a new
            # database connection, the first time a worker sees it), today's salt and
            # connections: long enough for every worker to see every target (the
            # Django-stack runs share these maps: a cold map would favour them).
            self.measure(
                server,
                port,
                beacons,
                rate=0,
                name="warm-up",
                **{**closed, "duration": options["warmup"]},
            )
            # Rounds of the ceiling, the lean path at full speed and the same beacons
            # through Django's whole stack (a meaningless session cookie sends them there,
            # as a signed-in visitor's would go), interleaved so that the machine's noise
            # hits all three alike; medians over rounds.
            through_django = [{**t, "headers": {"Cookie": "sessionid=bench"}} for t in beacons]
            rounds = {"ceiling": [], "lean_max": [], "django_stack_max": []}
            for number in range(options["rounds"]):
                rounds["ceiling"].append(
                    self.measure(
                        server,
                        port,
                        ceiling,
                        rate=0,
                        name=f"ceiling-{number}",
                        expect=200,
                        **closed,
                    )
                )
                rounds["lean_max"].append(
                    self.measure(server, port, beacons, rate=0, name=f"lean-max-{number}", **closed)
                )
                rounds["django_stack_max"].append(
                    self.measure(
                        server, port, through_django, rate=0, name=f"django-max-{number}", **closed
                    )
                )
            for name, runs in rounds.items():
                result[name] = {
                    key: statistics.median(run[key] for run in runs)
                    for key in ("achieved_per_s", "server_cpu_ms_per_request", "p50_ms", "p99_ms")
                }
                result[name]["rounds"] = runs
                if name != "ceiling":
                    result[name]["lost"] = sum(run["lost"] for run in runs)
            for rate in (float(value) for value in rates.split(",")):
                result["steps"].append(
                    self.measure(
                        server,
                        port,
                        beacons,
                        rate=rate,
                        duration=step,
                        processes=clients,
                        threads=8,
                        name=f"rate-{rate:g}",
                        pages=pages,
                        page_rate=page_rate,
                    )
                )
        sustained = [
            s
            for s in result["steps"]
            if s["achieved_per_s"] >= 0.97 * s["target_per_s"]
            and s["lost"] == 0
            and set(s["statuses"]) == {"204"}
            and all(k == "200" for k in s.get("pages", {}).get("statuses", {"200": 0}))
        ]
        best = max(sustained, key=lambda s: s["target_per_s"], default=None)
        lean, ceiling_figures = result["lean_max"], result["ceiling"]

        def paired(key, other):
            """Median over rounds of lean ÷ other in the same round."""
            values = [
                a[key] / b[key]
                for a, b in zip(rounds["lean_max"], rounds[other])
                if a[key] and b[key]
            ]
            return round(statistics.median(values), 2) if values else None

        result["summary"] = {
            "target_events_per_s": 1000,
            "sustained_events_per_s": best and best["target_per_s"],
            "sustained_p50_ms": best and best["p50_ms"],
            "sustained_p99_ms": best and best["p99_ms"],
            "sustained_cpu_ms_per_event": best and best["server_cpu_ms_per_request"],
            "max_events_per_s": lean["achieved_per_s"],
            "max_p99_ms": lean["p99_ms"],
            "max_cpu_ms_per_event": lean["server_cpu_ms_per_request"],
            "lost_total": sum(s["lost"] for s in result["steps"])
            + lean["lost"]
            + result["django_stack_max"]["lost"],
            "ceiling_rps": ceiling_figures["achieved_per_s"],
            "ceiling_cpu_ms": ceiling_figures["server_cpu_ms_per_request"],
            "max_events_to_ceiling_rps": paired("achieved_per_s", "ceiling"),
            "cpu_per_event_to_ceiling": paired("server_cpu_ms_per_request", "ceiling"),
            "lean_to_django_stack_events_per_s": paired("achieved_per_s", "django_stack_max"),
            "lean_to_django_stack_cpu": paired("server_cpu_ms_per_request", "django_stack_max"),
            "cores_needed_for_target": round(lean["server_cpu_ms_per_request"], 2)
            if lean["server_cpu_ms_per_request"]
            else None,
        }
        return result

    @staticmethod
    def collect_static(env):
        manifest = ROOT / "bench-results" / "static" / "staticfiles.json"
        if not manifest.exists():
            log("collecting static files (bench settings)")
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
            )
