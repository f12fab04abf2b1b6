"""`manage.py search_latency`: p50/p95 latency of the search page (`/recherche/`) for ten
representative French queries, in process (Django's test client: no network, no server
noise), printed as one JSON document. See bench/README.md, "Search latency".

Modes, every query `--repeat` times each, interleaved query by query so that the
machine's noise hits them alike:

- `cold_with_facets`: the search's cached values (matched ids, facet counts) deleted
  before each request: the full-text match, the facet counts and the page of results
  all computed (what the target is about); the layout fragments stay cached;
- `cold_without_facets`: the match and the page of results computed, the facet
  counts served from the cache;
- `cold_filtered`: cold, with facet filters and the date sort (`FILTERED`);
- `cold_page`: the whole cache emptied and the search's in-process table forgotten
  (the layout too: the first visitor after a publication);
- `warm`: everything cached (a visitor paging, sharing, or the next visitor);
- `after_publication`: the first search after a publication: a new content version
  committed (as a publication on the site does), the warm-up it starts (portal.warmup,
  PORTAL_WARMUP: a background thread under the bench settings) waited for, then the
  search (to compare with `cold_with_facets`, the other searches of a version);
- `baseline_empty_form`: `/recherche/` without a query (same stack, template and
  header, no search), and `baseline_bare_page` (`/bare/`, under portal.settings.bench).

One persistent database connection. `cpu_p50_ms`/`cpu_p95_ms`: CPU time per request
of this process and of its PostgreSQL backend together (Linux `/proc/<pid>/schedstat`),
the figure that moves least when other work competes for the machine (wall time then
swings by a factor of two or more).
Ratios are to the baseline's p50. Run it on the benchmark's database (bench/run.py
seeds it, search index included), e.g.
`DATABASE_URL=postgres://…/rncrpv_bench DJANGO_SETTINGS_MODULE=portal.settings.bench`."""

import json
import os
import statistics
import time
from dataclasses import replace
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

QUERIES = [
    "logement social",
    "discriminations logement",
    "égalité femmes hommes santé",
    "emploi des jeunes",
    "renouvellement urbain",
    "éducation prioritaire",
    "participation des habitants",
    "sécurité tranquillité",
    "santé mentale",
    "numérique",
]
FILTERED = {"type": "publication", "sort": "date"}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(timings, queries, cpu):
    result = {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "max_ms": round(max(timings), 1),
        "requests": len(timings),
        "queries_per_request": sorted(set(queries)),
    }
    if all(value is not None for value in cpu):
        result.update(
            cpu_p50_ms=round(statistics.median(cpu), 1), cpu_p95_ms=round(percentile(cpu, 0.95), 1)
        )
    return result


def cpu_ns(pids) -> int | None:
    """CPU time so far of these processes (ns, Linux schedstat), None elsewhere."""
    try:
        return sum(int(open(f"/proc/{pid}/schedstat").read().split()[0]) for pid in pids)
    except (OSError, ValueError, IndexError):
        return None


def database_pid():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = "Mesure la latence de la page de recherche (p50/p95) pour dix requêtes."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--host", default="localhost")

    def handle(self, *args, **options):
        saved = connection.settings_dict.get("CONN_MAX_AGE")
        try:
            return self.measure(*args, **options)
        finally:
            connection.settings_dict["CONN_MAX_AGE"] = saved

    def measure(self, repeat, host, **options):
        from wagtail.models import Site

        from portal import warmup
        from portal.cache import bump_content_version, content_version, listing_key, versioned_key
        from search import table
        from search.query import Filters
        from search.views import ids_key, results_key, site_centre

        try:
            setup_test_environment()  # so that responses carry their template context
        except RuntimeError:
            pass  # already set up (the test suite)
        # One persistent database connection (production sets DATABASE_CONN_MAX_AGE,
        # docs/perf.md): connecting is not what is measured, and its backend's CPU is.
        connection.settings_dict["CONN_MAX_AGE"] = None
        client = Client(HTTP_HOST=host)
        site = (
            Site.objects.get(hostname=host)
            if host != "localhost"
            else Site.objects.get(is_default_site=True)
        )
        centre = site_centre(site)
        loadavg_start = os.getloadavg()
        bare = client.get("/bare/").status_code == 200

        shown = {}

        def timed(path, params, prepare=None):
            if prepare:
                prepare()
            pids = ["self"] + [pid for pid in [database_pid()] if pid]
            with CaptureQueriesContext(connection) as ctx:
                cpu_start = cpu_ns(pids)
                start = time.perf_counter()
                response = client.get(path, params)
                elapsed = (time.perf_counter() - start) * 1000
                cpu_end = cpu_ns(pids)
            assert response.status_code == 200, (path, params, response.status_code)
            page = response.context.get("results") if response.context else None
            if page is not None:
                # The ids of the page shown, whose results a cold search forgets.
                shown[path, tuple(sorted(params.items()))] = page.paginator.object_list[
                    page.start_index() - 1 : page.end_index()
                ]
            cpu = (cpu_end - cpu_start) / 1e6 if cpu_start is not None and cpu_end else None
            return elapsed, len(ctx.captured_queries), response, cpu

        def forget_results(params):
            # The page of results shown the last time (cached per query and page of ids).
            ids = shown.get(("/recherche/", tuple(sorted(params.items()))))
            if ids is not None:
                q = Filters.from_query(QueryDict(urlencode(params))).q
                cache.delete(versioned_key(results_key(site, q, ids)))

        def forget_ids(q):
            # The facet counts stay cached (computed by the request before), the match
            # and the page of results are computed again.
            def forget():
                cache.delete(ids_key(site, q, centre, content_version()))
                forget_results({"q": q})

            return forget

        def forget_search(params):
            # What the search computes (matched ids, facet counts) is forgotten; the
            # layout (header, navigation, footer fragments) stays cached, as it is for
            # every visitor but the first after a publication (`cold_page`).
            def forget():
                filters = replace(Filters.from_query(QueryDict(urlencode(params))), found={})
                version = content_version()
                cache.delete(ids_key(site, filters.q, centre, version))
                cache.delete(
                    versioned_key(listing_key("search-facets", site, filters, per_seconds=300))
                )
                forget_results(params)

            return forget

        def forget_everything():
            # The first visitor after a publication: a new content version, so nothing
            # cached applies and this process reads the search's table again.
            cache.clear()
            table.forget()

        def publish():
            # What a publication on this site does to the search once committed: a new
            # content version, then the warm-up (the search's table, the site's main
            # pages), waited for: the visitor comes after it.
            with transaction.atomic():
                bump_content_version(sites=[site.pk])
            warmup.wait()

        modes = (
            "baseline_empty_form",
            "baseline_bare_page",
            "cold_with_facets",
            "cold_without_facets",
            "cold_filtered",
            "cold_page",
            "warm",
            "after_publication",
        )
        timings = {mode: [] for mode in modes}
        queries = {mode: [] for mode in modes}
        cpu = {mode: [] for mode in modes}
        matches, matches_filtered, by_query = {}, {}, {}
        for q in QUERIES:
            for _mode, path, params in (
                ("cold_with_facets", "/recherche/", {"q": q}),
                ("cold_filtered", "/recherche/", {"q": q, **FILTERED}),
            ):
                timed(path, params)  # connections, templates, content types
            for _ in range(repeat):
                steps = [
                    ("after_publication", "/recherche/", {"q": q}, publish),
                    ("baseline_empty_form", "/recherche/", {}, None),
                    ("cold_with_facets", "/recherche/", {"q": q}, forget_search({"q": q})),
                    ("cold_without_facets", "/recherche/", {"q": q}, forget_ids(q)),
                    ("cold_page", "/recherche/", {"q": q}, forget_everything),
                    ("warm", "/recherche/", {"q": q}, None),
                    (
                        "cold_filtered",
                        "/recherche/",
                        {"q": q, **FILTERED},
                        forget_search({"q": q, **FILTERED}),
                    ),
                ]
                if bare:
                    steps.insert(1, ("baseline_bare_page", "/bare/", {}, None))
                for mode, path, params, prepare in steps:
                    elapsed, count, response, cpu_ms = timed(path, params, prepare)
                    timings[mode].append(elapsed)
                    queries[mode].append(count)
                    cpu[mode].append(cpu_ms)
                    if mode == "cold_with_facets":
                        by_query.setdefault(q, []).append(elapsed)
                    if mode == "warm":
                        matches[q] = response.context["results"].paginator.count
                    elif mode == "cold_filtered":
                        matches_filtered[q] = response.context["results"].paginator.count
        report = {
            mode: summary(timings[mode], queries[mode], cpu[mode])
            for mode in modes
            if timings[mode]
        }
        base = report["baseline_empty_form"]["p50_ms"] or 1
        for mode in modes[2:]:
            report[mode]["p50_ratio_to_baseline"] = round(report[mode]["p50_ms"] / base, 1)
            report[mode]["p95_ratio_to_baseline"] = round(report[mode]["p95_ms"] / base, 1)
            if "cpu_p50_ms" in report[mode] and report["baseline_empty_form"].get("cpu_p50_ms"):
                report[mode]["cpu_ratio_to_baseline"] = round(
                    report[mode]["cpu_p50_ms"] / report["baseline_empty_form"]["cpu_p50_ms"], 1
                )
        from wagtail.models import Page
        from wagtail.search.models import IndexEntry

        self.stdout.write(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "host": host,
                    "repeat": repeat,
                    "pages": Page.objects.count(),
                    "index_entries": IndexEntry.objects.count(),
                    "loadavg_start": [round(x, 2) for x in loadavg_start],
                    "loadavg_end": [round(x, 2) for x in os.getloadavg()],
                    "warmup": warmup.mode(),
                    "target": "cold_with_facets.p95_ms < 100 on PostgreSQL",
                    "queries": QUERIES,
                    "filters": FILTERED,
                    "matches": matches,
                    "matches_filtered": matches_filtered,
                    "cold_with_facets_p50_ms_by_query": {
                        q: round(statistics.median(values), 1) for q, values in by_query.items()
                    },
                    **report,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
