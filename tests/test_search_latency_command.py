"""`manage.py search_latency` prints one JSON document with every mode and its ratios
(a smoke test of the benchmark tool: its figures are read in bench runs, not here)."""

import json
from io import StringIO

from django.core.management import call_command

import pytest

from bench.management.commands.search_latency import Command as SearchLatency

pytestmark = pytest.mark.django_db


def test_search_latency_prints_every_mode_as_json(network):
    out = StringIO()
    # The bench app is installed only by the bench settings: its command is run as a class.
    call_command(SearchLatency(), repeat=1, stdout=out)
    report = json.loads(out.getvalue())
    assert len(report["queries"]) == 10 and set(report["matches"]) == set(report["queries"])
    for mode in (
        "baseline_empty_form",
        "cold_with_facets",
        "cold_without_facets",
        "cold_filtered",
        "cold_page",
        "warm",
        "after_publication",
    ):
        assert report[mode]["requests"] == 10 and report[mode]["p95_ms"] >= report[mode]["p50_ms"]
    for mode in (
        "cold_with_facets",
        "cold_without_facets",
        "cold_filtered",
        "cold_page",
        "warm",
        "after_publication",
    ):
        assert report[mode]["p50_ratio_to_baseline"] > 0
    # Cold runs the full-text match (one query more than warm; the facet counts need
    # none, counted in memory); the first search after a publication also reads the
    # search's table. Counts are per request and vary with the kinds of pages found (one
    # fetch per type): compare the costliest request of each mode.
    most = {
        mode: max(report[mode]["queries_per_request"])
        for mode in ("cold_page", "cold_with_facets", "cold_without_facets", "warm")
    }
    assert (
        most["cold_page"] > most["cold_with_facets"] >= most["cold_without_facets"] > most["warm"]
    )
    assert len(report["loadavg_start"]) == 3
    assert report["warmup"] == ""  # the test settings: no warm-up (the search builds it)
