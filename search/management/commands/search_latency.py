"""`manage.py search_latency`: p50/p95 latency of the search page for ten representative
queries, in process (Django's test client, so no network nor server noise), with the
facet counts served from the cache ("without"), computed on every request (cache
cleared), and computed with facet filters applied; SQL queries per request alongside. Run it on the benchmark's database after
`rebuild_search_index` (bench/seed.py inserts in bulk without indexing)."""

import json
import statistics
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

QUERIES = ["logement social", "discriminations", "égalité femmes hommes santé",
           "emploi des jeunes", "renouvellement urbain", "participation des habitants",
           "éducation", "santé mentale", "webinaire", "politique de la ville"]
FILTERED = {"type": "publication", "sort": "date"}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Mesure la latence de la page de recherche (p50/p95) pour dix requêtes."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--host", default="localhost")

    def handle(self, repeat, host, **options):
        setup_test_environment()  # so that responses carry their template context
        client = Client(HTTP_HOST=host)
        report = {}
        modes = (("without_facet_counts", {}, False), ("with_facet_counts", {}, True),
                 ("with_facet_counts_and_filters", FILTERED, True))
        for label, extra, count_facets in modes:
            timings, queries, results = [], [], {}
            for q in QUERIES:
                client.get("/recherche/", {"q": q, **extra})  # warm connections, templates
                for _ in range(repeat):
                    if count_facets:
                        cache.clear()  # facet counts computed on every request
                    # else: served from the cache, as for a visitor paging or sharing
                    with CaptureQueriesContext(connection) as ctx:
                        start = time.perf_counter()
                        response = client.get("/recherche/", {"q": q, **extra})
                        timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, response.status_code
                    queries.append(len(ctx.captured_queries))
                results[q] = response.context["results"].paginator.count
            report[label] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
                "max_ms": round(max(timings), 1),
                "queries_per_request": sorted(set(queries)),
                "matches": results,
            }
        self.stdout.write(json.dumps({"vendor": connection.vendor, "repeat": repeat,
                                      "queries": QUERIES, **report}, ensure_ascii=False, indent=1))
