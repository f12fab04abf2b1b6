"""Benchmark harness (`make bench`): seed a large network, serve it with gunicorn, load it
from a second process on loopback, print one JSON document. See bench/README.md.

    .venv/bin/python bench/run.py [--pages N] [--events N] [--events-small N]
                                  [--publications N] [--publications-small N]
                                  [--duration S] [--rounds R] [--concurrency C]
                                  [--json-out PATH]

Progress goes to stderr, the JSON to stdout (and to bench-results/latest.json). The exit
status is non-zero if any measured request did not answer 200 (1), or if a target's SQL
queries grew with the number of events or publications it lists (3).
"""

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = ROOT / "bench-results"
LOAD_SCRIPT = BENCH_DIR / "load.py"
SETTINGS = "portal.settings.bench"

# `python bench/run.py` puts bench/ first on sys.path: import from the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS

from bench import peers, wrk  # noqa: E402
from bench.targets import BASELINE, TARGETS, Target  # noqa: E402

ADDRESS = "127.0.0.1"
SERVER_START_TIMEOUT = 180.0  # importing Django on a busy 2-core machine
SERVER_STOP_TIMEOUT = 15.0


def log(message: str):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A failure that makes the figures meaningless: reported, exit status 2."""


# --- database --------------------------------------------------------------------------


def reset_database(db: dict):
    """Start from an empty database. Refuses any database whose name lacks "bench"."""
    engine, name = db["ENGINE"], str(db["NAME"])
    if "bench" not in Path(name).name:
        raise BenchError(f"refusing to wipe database {name!r}: its name must contain 'bench'")
    if engine == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    elif engine == "django.db.backends.postgresql":
        import psycopg
        from psycopg import sql

        params = {
            "host": db.get("HOST"),
            "port": db.get("PORT"),
            "user": db.get("USER"),
            "password": db.get("PASSWORD"),
            "dbname": "postgres",
        }
        params = {key: value for key, value in params.items() if value not in (None, "")}
        with psycopg.connect(**params, autocommit=True, connect_timeout=10) as conn:
            ident = sql.Identifier(name)
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    else:
        raise BenchError(f"unsupported database engine {engine}")


def prepare(args) -> dict:
    """Fresh database, migrations, static files (manifest, as in production), seed."""
    from io import StringIO

    from django.conf import settings

    db = settings.DATABASES["default"]
    if not args.skip_seed:
        vendor = db["ENGINE"].rsplit(".", 1)[-1]
        log(f"resetting the {vendor} database {Path(str(db['NAME'])).name}")
        reset_database(db)

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0, stdout=StringIO())
    log(f"migrated in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())
    log(f"collected static files in {time.perf_counter() - started:.1f}s")

    from wagtail.models import Page

    if args.skip_seed:
        log("--skip-seed: measuring the database as it is")
        return {"pages_per_centre": None, "pages_total": Page.objects.count(), "reused": True}
    from bench.seed import seed

    log(f"seeding the network with {args.pages} content pages per centre")
    return seed(args.pages, log=lambda message: log(message))


def event_figures() -> dict:
    """How many events the agenda targets list (live public events in scope)."""
    from agenda.models import AgendaPage, EventPage
    from bench.seed import BULK_EVENT_SLUG_PREFIX, REFERENCE_EVENT_CENTRE
    from centres.models import Centre

    irev = Centre.objects.filter(slug=REFERENCE_EVENT_CENTRE).first()
    agenda = AgendaPage.objects.child_of(irev.home_page).first() if irev else None
    return {
        "bulk": EventPage.objects.filter(slug__startswith=BULK_EVENT_SLUG_PREFIX).count(),
        "national_scope": EventPage.objects.live().public().count(),
        "irev_scope": agenda.scope().count() if agenda else None,
    }


def publication_figures() -> dict:
    """How many publications the library targets list (live public ones in scope)."""
    from bench.seed import BULK_PUBLICATION_SLUG_PREFIX
    from publications.models import PublicationPage, WorkingGroupPage

    sante = WorkingGroupPage.objects.filter(slug="sante").first()
    return {
        "bulk": PublicationPage.objects.filter(
            slug__startswith=BULK_PUBLICATION_SLUG_PREFIX
        ).count(),
        "national_scope": PublicationPage.objects.live().public().count(),
        "sante_group": (
            PublicationPage.objects.live().public().filter(working_group=sante).count()
            if sante
            else None
        ),
    }


def seed_events(args, scaling: list[Target], listed: dict) -> tuple[dict, dict, dict]:
    """Bulk events and publications in two steps: `--events-small` events and
    `--publications-small` publications, the SQL queries of the targets that scale with
    them counted there (`queries_small`, and the items they list in `listed["small"]`),
    then up to `--events` and `--publications` (the figures measured under load, and
    `queries`/`queries_large`)."""
    from bench.seed import add_bulk_events, add_bulk_proposals, add_bulk_publications

    small = min(args.events_small, args.events)
    small_publications = min(args.publications_small, args.publications)
    figures, publications, queries_small = {}, {}, {}
    if (small < args.events or small_publications < args.publications) and scaling:
        log(f"seeding {small} bulk events and {small_publications} bulk publications (small)")
        add_bulk_events(small, log=log)
        add_bulk_publications(small_publications, log=log)
        add_bulk_proposals(log=log)  # the national front page's selection
        figures["small"] = event_figures()
        publications["small"] = publication_figures()
        log(
            f"counting SQL queries with {small} bulk events and {small_publications} bulk "
            f"publications: {[t.name for t in scaling]}"
        )
        listed["small"] = {}
        queries_small = count_queries(
            scaling, suffix=".small", missing_ok=True, listed=listed["small"]
        )
    log(f"seeding {args.events} bulk events")
    add_bulk_events(args.events, log=log)
    figures["large"] = event_figures()
    log(f"seeding {args.publications} bulk publications")
    add_bulk_publications(args.publications, log=log)
    add_bulk_proposals(log=log)
    publications["large"] = publication_figures()
    analyze(log)
    return figures, publications, queries_small


def analyze(log):
    """Fresh planner statistics and no dead rows after the bulk inserts (PostgreSQL), as
    autovacuum leaves a production database some time later (these machines' server
    runs with autovacuum off): without statistics the planner takes a 40,000-row table
    for a few dozen rows (nested loops where hash joins belong; search 10× slower), and
    the search index table, each row written twice by the seed, would be read at twice
    its size."""
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"vacuumed and analyzed the database in {time.perf_counter() - started:.1f}s")


# --- SQL queries per request (in this process, Django's test client) ------------------


def count_queries(
    targets: list[Target], suffix: str = "", missing_ok: bool = False, listed: dict | None = None
) -> dict[str, int | None]:
    """Queries of one request to each target, once caches are warm (third request),
    written to bench-results/queries/<name><suffix>.sql. With `missing_ok`, a target
    that does not answer 200 gets None instead of failing the run. `listed`, if given,
    receives the number of events each target lists (occurrences of its item_marker)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out_dir = RESULTS_DIR / "queries"
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for target in targets:
        client = Client(HTTP_HOST=target.host)
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(target.path)
            if response.status_code != 200 and missing_ok:
                break
            if response.status_code != 200:
                raise BenchError(
                    f"{target.name}: http://{target.host}{target.path} answered "
                    f"{response.status_code} to Django's test client"
                )
        if response.status_code != 200:
            counts[target.name] = None
            continue
        counts[target.name] = len(captured.captured_queries)
        if listed is not None and target.item_marker:
            listed[target.name] = response.content.decode("utf-8", "replace").count(
                target.item_marker
            )
        (out_dir / f"{target.name}{suffix}.sql").write_text(
            "".join(f"{query['sql']};\n" for query in captured.captured_queries), encoding="utf-8"
        )
    connection.close()
    return counts


def cold_and_warm(targets: list[Target], repeat: int = 3) -> dict[str, dict]:
    """What the caches keyed by the content version (portal/cache.py) save: each target
    requested right after emptying the cache (cold: the first visitor after a
    publication) and then again (warm), in this process with Django's test client;
    medians over `repeat` tries of the wall time, and the queries of the last try."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def timed(client, target):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(target.path)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise BenchError(f"{target.name} answered {response.status_code} (cold/warm)")
        return elapsed, len(captured.captured_queries)

    figures = {}
    for target in targets:
        client = Client(HTTP_HOST=target.host)
        client.get(target.path)  # the process's own first-request costs, not the cache's
        cold, warm = [], []
        for _ in range(repeat):
            cache.clear()
            cold.append(timed(client, target))
            warm.append(timed(client, target))
        figures[target.name] = {
            "cold_ms": round(statistics.median(ms for ms, _ in cold), 2),
            "warm_ms": round(statistics.median(ms for ms, _ in warm), 2),
            "queries_cold": cold[-1][1],
            "queries_warm": warm[-1][1],
        }
    cache.clear()
    connection.close()
    return figures


# Issue #25's last line: the first search and library request after a publication.
AFTER_PUBLICATION = ("search", "national_library")


def after_publication(targets: list[Target], repeat: int = 3) -> dict[str, dict]:
    """The first request after a publication on the target's site, as production serves
    it: a new content version committed, then the warm-up that follows every commit
    (portal.warmup: the search's table, the site's main pages, its five most searched
    queries of the week), then the visitor; against the warm request (in process, test
    client, medians over `repeat`). The search's query is first searched a few times and
    its count stored, as a query people make this week is."""
    from django.db import connection, transaction
    from django.test import Client

    from wagtail.models import Site

    from portal import warmup
    from portal.cache import bump_content_version
    from search import figures as search_figures

    def timed(client, target):
        started = time.perf_counter()
        response = client.get(target.path)
        if response.status_code != 200:
            raise BenchError(f"{target.name} answered {response.status_code} (after publication)")
        return (time.perf_counter() - started) * 1000

    out = {}
    for target in targets:
        if target.name not in AFTER_PUBLICATION:
            continue
        site = Site.objects.filter(hostname=target.host).first() or Site.objects.get(
            is_default_site=True
        )
        client = Client(HTTP_HOST=target.host)
        for _ in range(3):
            client.get(target.path)
        search_figures.flush()
        after, warm = [], []
        for _ in range(repeat):
            with transaction.atomic():
                bump_content_version(sites=[site.pk])
            warmup.warm([site.pk])  # what the committing process's thread does
            after.append(timed(client, target))
            warm.append(timed(client, target))
        first, next_ = statistics.median(after), statistics.median(warm)
        out[target.name] = {
            "after_publication_ms": round(first, 2),
            "warm_ms": round(next_, 2),
            "ratio_to_warm": round(first / next_, 2),
        }
        log(f"after a publication: {target.name} {first:.1f} ms, warm {next_:.1f} ms")
    connection.close()
    return out


def registration_post_figure(targets: list[Target]) -> dict | None:
    """With the `event_page_registration` target: a registration POST's cost."""
    if not any(target.name == "event_page_registration" for target in targets):
        return None
    from django.db import connection

    from bench.registration_post import measure

    log("timing registration POSTs beside GETs of the event page (Django test client)")
    try:
        figure = measure()
    except RuntimeError as error:
        raise BenchError(str(error)) from error
    finally:
        connection.close()
    log(
        f"registration POST: p50 {figure['post']['p50_ms']} ms, {figure['post']['queries']} "
        f"queries, cpu {figure['post']['cpu_p50_ms']} ms (page GET p50 "
        f"{figure['page_get']['p50_ms']} ms)"
    )
    return figure


# --- server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ADDRESS, 0))
        return sock.getsockname()[1]


def get(port: int, target: Target, timeout: float = 10.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(ADDRESS, port, timeout=timeout)
    try:
        conn.request("GET", target.path, headers={"Host": target.host})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """gunicorn serving a WSGI application on a free loopback port: the portal
    (portal.wsgi with the bench settings) or one of its peers (bench/peers.py), each
    served alike (same workers, worker class, threads, keep-alive)."""

    def __init__(
        self,
        workers: int,
        threads: int,
        *,
        worker_class: str = "gthread",
        app: str = "portal.wsgi:application",
        label: str = "portal",
        chdir: Path = ROOT,
        env: dict | None = None,
        probe: Target = BASELINE,
    ):
        self.port = free_port()
        self.label, self.chdir, self.probe = label, chdir, probe
        self.env = {"DJANGO_SETTINGS_MODULE": SETTINGS, **(env or {})}
        threading = ["--threads", str(threads)] if worker_class == "gthread" else []
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"{ADDRESS}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            *threading,
            "--keep-alive",
            "5",
            "--chdir",
            str(chdir),
            "--log-level",
            "warning",
        ]
        name = "gunicorn.log" if label == "portal" else f"gunicorn-{label}.log"
        self.log_path = RESULTS_DIR / name
        self.process = None

    def __enter__(self):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        env = {key: value for key, value in env.items() if value is not None}
        self.log_file = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            self.command,
            cwd=self.chdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        log(f"gunicorn ({self.label}) pid {self.process.pid} on {ADDRESS}:{self.port}")
        try:
            return self.wait_ready()
        except BaseException:
            self.__exit__(None, None, None)  # not called by `with` when __enter__ fails
            raise

    def wait_ready(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                get(self.port, self.probe, timeout=2.0)
                return self
            except OSError:
                time.sleep(0.2)
        raise BenchError(
            f"gunicorn did not answer within {SERVER_START_TIMEOUT:.0f}s:\n{self.log_tail()}"
        )

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(SERVER_STOP_TIMEOUT)
        self.log_file.close()

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master), from /proc (Linux)."""
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
            return sorted(int(child) for child in text.split())
        except OSError:
            pass
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def cpu_seconds(self) -> tuple[tuple[int, ...], float] | None:
        """(worker pids, CPU seconds used so far by the master and its workers), or None
        where /proc cannot tell. A difference over a run, divided by the requests, is the
        server's CPU per request: much less sensitive than throughput to a busy machine."""
        pids = self.worker_pids()
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        try:
            for pid in [self.process.pid, *pids]:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime + stime, in ticks
        except (OSError, IndexError, ValueError):
            return None
        return tuple(pids), total / ticks

    def measure(self, target: Target, duration: float, concurrency: int) -> dict:
        before = self.cpu_seconds()
        run = load(self.port, target, duration, concurrency)
        after = self.cpu_seconds()
        run["server_cpu_ms"] = None
        if before and after and before[0] == after[0] and run["requests"]:
            run["server_cpu_ms"] = round((after[1] - before[1]) * 1000 / run["requests"], 3)
        return run

    def log_tail(self, lines: int = 30) -> str:
        self.log_file.flush()
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


# --- load ------------------------------------------------------------------------------


def load(port: int, target: Target, duration: float, concurrency: int) -> dict:
    """One measurement, from a separate process: wrk when installed (bench/wrk.py), else
    bench/load.py."""
    if wrk.available():
        try:
            return wrk.load(ADDRESS, port, target.host, target.path, duration, concurrency)
        except (RuntimeError, AttributeError, subprocess.TimeoutExpired) as error:
            raise BenchError(str(error)) from error
    command = [
        sys.executable,
        str(LOAD_SCRIPT),
        "--address",
        ADDRESS,
        "--port",
        str(port),
        "--host",
        target.host,
        "--path",
        target.path,
        "--duration",
        str(duration),
        "--concurrency",
        str(concurrency),
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=duration + 60,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise BenchError(f"load generator failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def median(values):
    values = [value for value in values if value is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(
    target: Target,
    runs: list[dict],
    queries: int,
    baseline_runs=None,
    queries_small: dict | None = None,
    listed: dict | None = None,
    peer_runs: dict | None = None,
) -> dict:
    summary = {
        "name": target.name,
        "url": f"http://{target.host}{target.path}",
        "host": target.host,
        "path": target.path,
        "rps": median(run["rps"] for run in runs),
        "p50_ms": median(run["p50_ms"] for run in runs),
        "p95_ms": median(run.get("p95_ms") for run in runs),
        "p99_ms": median(run.get("p99_ms") for run in runs),
        "queries": queries,
        "server_cpu_ms": median(run["server_cpu_ms"] for run in runs),
    }
    if target.scales_with_events:
        small = (queries_small or {}).get(target.name)
        summary["queries_small"] = small
        summary["queries_large"] = queries
        summary["queries_grow"] = None if small is None else queries > small
        if target.item_marker:
            summary["listed_small"] = (listed or {}).get("small", {}).get(target.name)
            summary["listed_large"] = (listed or {}).get("large", {}).get(target.name)
    if baseline_runs is not None:
        # Paired per round: each round's figure divided by the baseline's around it (the
        # geometric mean of the baseline runs just before and just after the round), so
        # that the machine's noise at that moment cancels out; then the median over rounds.
        def ratios(key):
            return bracketed(runs, baseline_runs, key)

        summary["rps_ratio_to_baseline"] = median(ratios("rps"))
        summary["p50_ratio_to_baseline"] = median(ratios("p50_ms"))
        summary["cpu_ratio_to_baseline"] = median(ratios("server_cpu_ms"))
    for name, around in (peer_runs or {}).items():
        # The same pairing against each peer (A, B) measured in the same rounds.
        summary[f"rps_ratio_to_{name}"] = median(bracketed(runs, around, "rps"))
        summary[f"cpu_ratio_to_{name}"] = median(bracketed(runs, around, "server_cpu_ms"))
    summary.update(
        {
            "requests": sum(run["requests"] for run in runs),
            "errors": sum(run["errors"] for run in runs),
            "statuses": merge_counts(run["statuses"] for run in runs),
            "mean_bytes": median(run["mean_bytes"] for run in runs),
            "rps_rounds": [run["rps"] for run in runs],
        }
    )
    return summary


def bracketed(runs, around, key):
    """Each round's figure divided by the geometric mean of `around`'s runs just before
    and just after it (`around` has one more run: the closing one)."""
    for round_number, run in enumerate(runs):
        before, after = around[round_number], around[round_number + 1]
        if run[key] and before[key] and after[key]:
            yield run[key] / math.sqrt(before[key] * after[key])


def merge_counts(dicts) -> dict:
    merged: dict[str, int] = {}
    for counts in dicts:
        for key, value in counts.items():
            merged[key] = merged.get(key, 0) + value
    return merged


def git_revision() -> dict:
    def git(*args):
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
        return done.stdout.strip() if done.returncode == 0 else None

    try:
        return {
            "commit": git("rev-parse", "--short", "HEAD"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        }
    except (OSError, subprocess.TimeoutExpired):
        return {"commit": None, "dirty": None}


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for package in ("django", "wagtail", "gunicorn"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    return out


# --- layouts and peers ------------------------------------------------------------------

# How the three servers (peer A, peer B, the portal) are run, alike: the sync
# workers, and the production layout (docs/deployment.md: gthread). Both keep database
# connections 60 s (CONN_MAX_AGE), the portal's and B's alike.
LAYOUTS = {
    "sync": {"worker_class": "sync"},
    "gthread": {"worker_class": "gthread"},
}
CONN_MAX_AGE = "60"


def measure_layout(
    layout: str,
    args,
    everything: list[Target],
    peer_b_env: dict,
    redis_targets: list[Target] = (),
    redis_url: str | None = None,
) -> dict:
    """Every target and both peers under one layout, in alternating rounds: A, B, the
    bare page, then each target; a closing A, B and bare page bracket the last round.
    With `redis_targets`, a second portal server whose page cache is on Redis
    (`redis_url`) answers them in the same rounds (the `*_cached_redis` lines)."""
    options = {
        "workers": args.workers,
        "threads": args.threads,
        "worker_class": LAYOUTS[layout]["worker_class"],
    }
    shared = {"DATABASE_CONN_MAX_AGE": CONN_MAX_AGE}
    servers = {
        "A": Server(
            **options,
            app="bench.peer_a:application",
            label=f"peer-a-{layout}",
            env={**shared, "DJANGO_SETTINGS_MODULE": None},
            probe=peers.PEER_A,
        ),
        "B": Server(
            **options,
            app="peerb.wsgi:application",
            label=f"peer-b-{layout}",
            chdir=peers.PEER_B_DIR,
            env={**shared, **peer_b_env},
            probe=peers.PEER_B,
        ),
        "portal": Server(**options, label="portal", env=shared),
    }
    plan = [("A", peers.PEER_A), ("B", peers.PEER_B), *(("portal", t) for t in everything)]
    if redis_targets:
        redis_env = {**shared, "REDIS_URL": redis_url, "REDIS_KEY_PREFIX": "rncrpv-bench"}
        servers["redis"] = Server(**options, label="portal-redis", env=redis_env)
        plan += [("redis", target) for target in redis_targets]
    runs: dict[str, list[dict]] = {target.name: [] for _server, target in plan}
    log(f"layout {layout}: {options}")
    with contextlib.ExitStack() as stack:
        for server in servers.values():
            stack.enter_context(server)
        for name, target in plan:
            # The first request of each page is cold (nothing cached yet in the
            # workers): on a busy machine it can take seconds.
            status, body = get(servers[name].port, target, timeout=120)
            if status != 200:
                raise BenchError(
                    f"{target.name}: http://{target.host}{target.path} answered "
                    f"{status} through gunicorn ({name}):\n{body[:500]!r}"
                )
        if args.warmup:
            log(f"warming up ({args.warmup:g}s per target)")
            for name, target in plan:
                load(servers[name].port, target, args.warmup, args.concurrency)
        for round_number in range(1, args.rounds + 1):
            for name, target in plan:
                run = servers[name].measure(target, args.duration, args.concurrency)
                runs[target.name].append(run)
                log(
                    f"{layout} round {round_number}/{args.rounds} {target.name:<22} "
                    f"{run['rps']:8.1f} req/s  p50 {run['p50_ms']} ms  "
                    f"p99 {run.get('p99_ms')} ms  cpu {run['server_cpu_ms']} ms/req  "
                    f"errors {run['errors']}"
                )
        # Closes the last round: every round is bracketed by two runs of each reference.
        for name, target in plan[:3]:
            run = servers[name].measure(target, args.duration, args.concurrency)
            runs[target.name].append(run)
            log(f"{layout} closing {target.name} {run['rps']:8.1f} req/s")
        command = " ".join(["gunicorn", *servers["portal"].command[3:]])
    return {"runs": runs, "command": command, "options": options}


def layout_report(layout, measured, targets, queries, temperature, queries_small, listed):
    runs = measured["runs"]
    around = {"A": runs[peers.PEER_A.name], "B": runs[peers.PEER_B.name]}
    baseline_runs = runs[BASELINE.name]
    return {
        "server": {"command": measured["command"], **measured["options"]},
        "peers": {
            "A": summarise(peers.PEER_A, around["A"][:-1], None, peer_runs={"B": around["B"]}),
            "B": summarise(peers.PEER_B, around["B"][:-1], None, peer_runs={"A": around["A"]}),
        },
        "baseline": {
            **summarise(BASELINE, baseline_runs[:-1], queries[BASELINE.name], peer_runs=around),
            **temperature[BASELINE.name],
        },
        "results": [
            {
                **summarise(
                    target,
                    runs[target.name],
                    queries.get(target.name),
                    baseline_runs,
                    queries_small,
                    listed,
                    peer_runs=around,
                ),
                # The Redis lines were not counted in process: their cache is another.
                **temperature.get(target.name, {}),
            }
            for target in targets
        ],
    }


def table(report) -> str:
    """The figures as the issue's table: one line per target and layout, req/s and its
    ratio to A and to B."""

    def cell(value, width, digits):
        return f"{value:>{width}.{digits}f}" if value is not None else f"{'-':>{width}}"

    lines = [
        f"{'target':<30} {'layout':<8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'x A':>6} {'x B':>6} {'cpu ms':>7} {'queries':>7}"
    ]
    for layout, figures in report["layouts"].items():
        peers_ = figures["peers"]
        for entry in [peers_["A"], peers_["B"], figures["baseline"], *figures["results"]]:
            queries = entry["queries"] if entry["queries"] is not None else "-"
            lines.append(
                f"{entry['name']:<30} {layout:<8} {cell(entry['rps'], 8, 1)} "
                f"{cell(entry['p50_ms'], 7, 1)} {cell(entry.get('p99_ms'), 7, 1)} "
                f"{cell(entry.get('rps_ratio_to_A'), 6, 2)} "
                f"{cell(entry.get('rps_ratio_to_B'), 6, 2)} "
                f"{cell(entry['server_cpu_ms'], 7, 2)} {queries:>7}"
            )
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Benchmark the portal's pages against a bare Wagtail page."
    )
    parser.add_argument("--pages", type=int, default=200, help="content pages per centre (200)")
    parser.add_argument(
        "--events", type=int, default=5000, help="bulk events in the agendas (5000)"
    )
    parser.add_argument(
        "--events-small",
        type=int,
        default=1,
        help="bulk events when the queries are first counted, to check that "
        "they do not grow with the events listed (1: the demo agendas "
        "and the event page's event, less than a page of events on "
        "IREV's agenda and in the feed)",
    )
    parser.add_argument(
        "--publications",
        type=int,
        default=30000,
        help="bulk publications in the libraries and working groups (30000)",
    )
    parser.add_argument(
        "--publications-small",
        type=int,
        default=1,
        help="bulk publications when the queries are first counted (1: the "
        "demo publications and the publication page's publication)",
    )
    parser.add_argument(
        "--duration", type=float, default=3.0, help="seconds of load per target and round (3)"
    )
    parser.add_argument("--rounds", type=int, default=6, help="rounds over all targets (6)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="client connections (16 with wrk, as the issue's `wrk -t2 -c16`; 4 with load.py)",
    )
    parser.add_argument(
        "--layouts",
        default="sync,gthread",
        help="server layouts, comma-separated, the first one also in `results` "
        "(sync,gthread: 2 sync workers, then the production layout)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=1.0,
        help="seconds of unmeasured load per target before round 1 (1)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (2)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="measure only this target (repeatable; the baseline always runs)",
    )
    parser.add_argument(
        "--skip-seed",
        action="store_true",
        help="reuse the bench database of a previous run as it is",
    )
    parser.add_argument(
        "--redis-cache",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        metavar="URL",
        help="Redis for a second portal server answering the *_cached targets again "
        "(the *_cached_redis lines) when the portal's cache is per process; "
        "'off' to skip (redis://127.0.0.1:6379/13, or BENCH_REDIS_URL)",
    )
    parser.add_argument("--json-out", type=Path, default=RESULTS_DIR / "latest.json")
    args = parser.parse_args(argv)
    if args.concurrency is None:
        args.concurrency = 16 if wrk.available() else 4
    args.layouts = [name.strip() for name in args.layouts.split(",") if name.strip()]
    if not args.layouts or set(args.layouts) - set(LAYOUTS):
        parser.error(f"--layouts: choose among {sorted(LAYOUTS)}")
    bounds = {
        "duration": (0.5, 60),
        "rounds": (1, 20),
        "concurrency": (1, 64),
        "warmup": (0, 30),
        "workers": (1, 16),
        "threads": (1, 16),
    }
    for name, (low, high) in bounds.items():
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be within {low}..{high}")
    from bench.seed import MAX_EVENTS, MAX_PAGES_PER_CENTRE, MAX_PUBLICATIONS

    if not 0 <= args.pages <= MAX_PAGES_PER_CENTRE:
        parser.error(f"--pages must be within 0..{MAX_PAGES_PER_CENTRE}")
    for name in ("events", "events_small"):
        if not 0 <= getattr(args, name) <= MAX_EVENTS:
            parser.error(f"--{name.replace('_', '-')} must be within 0..{MAX_EVENTS}")
    for name in ("publications", "publications_small"):
        if not 0 <= getattr(args, name) <= MAX_PUBLICATIONS:
            parser.error(f"--{name.replace('_', '-')} must be within 0..{MAX_PUBLICATIONS}")
    if args.only:
        unknown = set(args.only) - {target.name for target in TARGETS}
        if unknown:
            parser.error(
                f"unknown target(s) {sorted(unknown)}; known: {[target.name for target in TARGETS]}"
            )
    return args


def redis_companion(args, targets: list[Target]) -> tuple[list[Target], str | None]:
    """The page-cache targets again, as `<name>_redis`, on a second portal server whose
    cache is on Redis: so that one run prints both lines of the issue's table (per
    process and Redis). Only when the portal's own cache is per process (no REDIS_URL)
    and Redis answers at `--redis-cache`; otherwise no extra line, and the log says why."""
    from django.conf import settings

    cached = [target for target in targets if target.name.endswith("_cached")]
    if not cached or args.redis_cache in ("", "off"):
        return [], None
    if settings.REDIS_URL:
        log("REDIS_URL is set: the *_cached lines are already the Redis cache's")
        return [], None
    import redis

    try:
        redis.Redis.from_url(args.redis_cache, socket_connect_timeout=1).ping()
    except (redis.RedisError, ValueError) as error:
        log(f"no Redis at {args.redis_cache} ({error}): no *_cached_redis lines")
        return [], None
    return [target._replace(name=f"{target.name}_redis") for target in cached], args.redis_cache


# --- main ------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    targets = [t for t in TARGETS if not args.only or t.name in args.only]
    everything = [BASELINE, *targets]
    RESULTS_DIR.mkdir(exist_ok=True)
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    loadavg_start = os.getloadavg()

    try:
        seeded = prepare(args)
        from django.conf import settings
        from django.db import connection

        from wagtail.models import Page

        db = settings.DATABASES["default"]
        db_meta = {
            "vendor": connection.vendor,
            "name": Path(str(db["NAME"])).name,
            "conn_max_age": db.get("CONN_MAX_AGE"),
        }
        queries_small, listed = {}, {"large": {}}
        if not args.skip_seed:
            seeded["events"], seeded["publications"], queries_small = seed_events(
                args, [t for t in everything if t.scales_with_events], listed
            )
            seeded["pages_total"] = Page.objects.count()
        else:
            seeded["events"] = {"large": event_figures()}
            seeded["publications"] = {"large": publication_figures()}
        log("counting SQL queries per request (Django test client)")
        queries = count_queries(everything, listed=listed["large"])
        log("timing cold (cache emptied) and warm requests (Django test client)")
        temperature = cold_and_warm(everything)
        registration_post = registration_post_figure(targets)
        log("timing the first request after a publication (test client, warm-up run)")
        published = after_publication(targets)
        growth = {
            t.name: (queries_small[t.name], queries[t.name])
            for t in targets
            if queries_small.get(t.name) is not None and queries[t.name] > queries_small[t.name]
        }
        for name, (small, large) in growth.items():
            log(
                f"WARNING: {name}: {small} queries with the small data (bulk events "
                f"{seeded['events']['small']['bulk']}, publications "
                f"{seeded['publications']['small']['bulk']}), {large} with the large "
                f"({seeded['events']['large']['bulk']}, "
                f"{seeded['publications']['large']['bulk']}) (N+1?)"
            )

        log("building peer B (a bare `wagtail start` project) beside peer A")
        try:
            peer_b_env = peers.build_peer_b(db, reset_database, log)
        except RuntimeError as error:
            raise BenchError(str(error)) from error
        redis_targets, redis_url = redis_companion(args, targets)
        measured = {
            layout: measure_layout(layout, args, everything, peer_b_env, redis_targets, redis_url)
            for layout in args.layouts
        }
    except BenchError as error:
        log(f"FAILED: {error}")
        return 2

    layouts = {
        layout: layout_report(
            layout,
            measured[layout],
            [*targets, *redis_targets],
            queries,
            temperature,
            queries_small,
            listed,
        )
        for layout in args.layouts
    }
    first = layouts[args.layouts[0]]
    report = {
        "meta": {
            "started_at": started_at.isoformat(timespec="seconds"),
            "total_seconds": round(time.perf_counter() - started, 1),
            "git": git_revision(),
            "machine": {
                "platform": platform.platform(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "loadavg_start": [round(value, 2) for value in loadavg_start],
                "loadavg_end": [round(value, 2) for value in os.getloadavg()],
            },
            "versions": versions(),
            "db": db_meta,
            "pages": seeded,
            "server": first["server"],
            "load": {
                "generator": (
                    "wrk (Debian), separate process"
                    if wrk.available()
                    else "bench/load.py (separate process, http.client keep-alive; "
                    "tops out near 1,300 req/s: install wrk)"
                ),
                "concurrency": args.concurrency,
                "duration_s": args.duration,
                "rounds": args.rounds,
                "warmup_s": args.warmup,
            },
            "figures": "rps, p50_ms, p95_ms/p99_ms: medians over rounds; *_ratio_to_baseline, "
            "*_ratio_to_A, *_ratio_to_B: median over rounds of the round's figure divided "
            "by the geometric mean of the reference's runs just before and after it "
            "(A: a constant Django view, B: a bare `wagtail start` home page, baseline: "
            "the portal's bare page; all served alike in the same run); server_cpu_ms: "
            "CPU time of the gunicorn processes per request (median over rounds); "
            "queries: SQL queries of one warm request (Django test client); "
            "queries_small/queries_large: the same with --events-small and "
            "--events bulk events (targets that scale with events); "
            "cold_ms/warm_ms, queries_cold/queries_warm: one request right after "
            "emptying the cache and the next one (test client, in process, "
            "median of 3); layouts: every figure per server layout",
        },
        "peers": first["peers"],
        "baseline": first["baseline"],
        "results": first["results"],
        "layouts": layouts,
        # Issue #25: the first search and library request after a publication.
        "after_publication": published,
        # Issue #20: a registration POST's cost (bench/registration_post.py).
        "registration_post": registration_post,
        # "SQL queries per request must not grow with the number of events listed":
        # the targets whose queries grew between --events-small and --events events.
        "queries_growth": {
            "checked": sorted(
                name
                for name in queries_small
                if queries_small[name] is not None and name in {t.name for t in targets}
            ),
            "events_small": (seeded.get("events", {}).get("small") or {}).get("bulk"),
            "events_large": (seeded.get("events", {}).get("large") or {}).get("bulk"),
            "publications_small": (seeded.get("publications", {}).get("small") or {}).get("bulk"),
            "publications_large": (seeded.get("publications", {}).get("large") or {}).get("bulk"),
            "grown": {
                name: {"small": small, "large": large} for name, (small, large) in growth.items()
            },
            # Compared, but listing as many events at both sizes (a full page, a capped
            # feed): an N+1 per listed event would not show in their query counts.
            "blind": sorted(
                name
                for name, count in listed.get("small", {}).items()
                if count == listed["large"].get(name)
            ),
            # null when nothing was compared (--skip-seed, or --events-small >= --events)
            "ok": (not growth) if any(v is not None for v in queries_small.values()) else None,
        },
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    log("figures (medians; × A and × B: paired ratios of req/s to the peers):\n" + table(report))
    for name, figure in published.items():
        log(
            f"first request after a publication: {name} {figure['after_publication_ms']} ms, "
            f"warm {figure['warm_ms']} ms ({figure['ratio_to_warm']} × warm)"
        )
    args.json_out.parent.mkdir(parents=True, exist_ok=True)
    args.json_out.write_text(text + "\n", encoding="utf-8")
    log(f"written to {args.json_out}")

    errors = {
        f"{layout}:{entry['name']}": entry["errors"]
        for layout, figures in report["layouts"].items()
        for entry in [*figures["peers"].values(), figures["baseline"], *figures["results"]]
        if entry["errors"]
    }
    if errors:
        log(f"FAILED: non-200 answers or connection errors during the load: {errors}")
        return 1
    if report["queries_growth"]["grown"]:
        log(
            "FAILED: SQL queries grew with the events or publications listed: "
            f"{report['queries_growth']['grown']}"
        )
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
