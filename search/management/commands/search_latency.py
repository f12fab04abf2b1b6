"""`manage.py search_latency`: p50/p95 latency of the search page (`/recherche/`) for ten
representative French queries, in process (Django's test client: no network, no server
noise), printed as one JSON document. See bench/README.md, "Search latency".

Modes, every query `--repeat` times each, interleaved query by query so that the
machine's noise hits them alike:

- `cold_with_facets`: the cache emptied before each request: the full-text match, the
  facet counts and the page of results all computed (what the target is about);
- `cold_without_facets`: the match and the page of results computed, the facet
  counts served from the cache;
- `cold_filtered`: cold, with facet filters and the date sort (`FILTERED`);
- `warm`: everything cached (a visitor paging, sharing, or the next visitor);
- `baseline_empty_form`: `/recherche/` without a query (same stack, template and
  header, no search), and `baseline_bare_page` (`/bare/`, under portal.settings.bench).

Ratios are to the baseline's p50. Run it on the benchmark's database (bench/run.py
seeds it, search index included), e.g.
`DATABASE_URL=postgres://…/rncrpv_bench DJANGO_SETTINGS_MODULE=portal.settings.bench`."""

import json
import os
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

QUERIES = ["logement social", "discriminations logement", "égalité femmes hommes santé",
           "emploi des jeunes", "renouvellement urbain", "éducation prioritaire",
           "participation des habitants", "sécurité tranquillité", "santé mentale", "numérique"]
FILTERED = {"type": "publication", "sort": "date"}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(timings, queries):
    return {"p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1), "requests": len(timings),
            "queries_per_request": sorted(set(queries))}


class Command(BaseCommand):
    help = "Mesure la latence de la page de recherche (p50/p95) pour dix requêtes."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--host", default="localhost")

    def handle(self, repeat, host, **options):
        from wagtail.models import Site

        from portal.cache import content_version
        from search.views import ids_key, site_centre

        setup_test_environment()  # so that responses carry their template context
        client = Client(HTTP_HOST=host)
        site = Site.objects.get(hostname=host) if host != "localhost" else \
            Site.objects.get(is_default_site=True)
        centre = site_centre(site)
        loadavg_start = os.getloadavg()
        bare = client.get("/bare/").status_code == 200

        def timed(path, params, prepare=None):
            if prepare:
                prepare()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(path, params)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (path, params, response.status_code)
            return elapsed, len(ctx.captured_queries), response

        def forget_ids(q):
            # The facet counts stay cached (computed by the request before), the match
            # and the page of results are computed again.
            return lambda: cache.delete(ids_key(site, q, centre, content_version()))

        modes = ("baseline_empty_form", "baseline_bare_page", "cold_with_facets",
                 "cold_without_facets", "cold_filtered", "warm")
        timings = {mode: [] for mode in modes}
        queries = {mode: [] for mode in modes}
        matches, matches_filtered = {}, {}
        for q in QUERIES:
            for mode, path, params in (("cold_with_facets", "/recherche/", {"q": q}),
                                       ("cold_filtered", "/recherche/", {"q": q, **FILTERED})):
                timed(path, params)  # connections, templates, content types
            for _ in range(repeat):
                steps = [("baseline_empty_form", "/recherche/", {}, None),
                         ("cold_with_facets", "/recherche/", {"q": q}, cache.clear),
                         ("cold_without_facets", "/recherche/", {"q": q}, forget_ids(q)),
                         ("warm", "/recherche/", {"q": q}, None),
                         ("cold_filtered", "/recherche/", {"q": q, **FILTERED}, cache.clear)]
                if bare:
                    steps.insert(1, ("baseline_bare_page", "/bare/", {}, None))
                for mode, path, params, prepare in steps:
                    elapsed, count, response = timed(path, params, prepare)
                    timings[mode].append(elapsed)
                    queries[mode].append(count)
                    if mode == "warm":
                        matches[q] = response.context["results"].paginator.count
                    elif mode == "cold_filtered":
                        matches_filtered[q] = response.context["results"].paginator.count
        report = {mode: summary(timings[mode], queries[mode]) for mode in modes if timings[mode]}
        base = report["baseline_empty_form"]["p50_ms"] or 1
        for mode in modes[2:]:
            report[mode]["p50_ratio_to_baseline"] = round(report[mode]["p50_ms"] / base, 1)
            report[mode]["p95_ratio_to_baseline"] = round(report[mode]["p95_ms"] / base, 1)
        from wagtail.models import Page
        from wagtail.search.models import IndexEntry

        self.stdout.write(json.dumps({
            "vendor": connection.vendor, "host": host, "repeat": repeat,
            "pages": Page.objects.count(), "index_entries": IndexEntry.objects.count(),
            "loadavg_start": [round(x, 2) for x in loadavg_start],
            "loadavg_end": [round(x, 2) for x in os.getloadavg()],
            "target": "cold_with_facets.p95_ms < 100 on PostgreSQL",
            "queries": QUERIES, "filters": FILTERED, "matches": matches,
            "matches_filtered": matches_filtered, **report,
        }, ensure_ascii=False, indent=1))
