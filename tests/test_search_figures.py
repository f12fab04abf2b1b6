"""Search figures without a database write per search (search.figures): counted in Redis
(the real server of this machine, database 6) or in the process's memory, then stored
in QueryDay by the flush_search_figures job or the admin's report."""

import os
import re

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import redis

from search import figures
from search.models import QueryDay

from .test_publications_helpers import library_of, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def ripisylve(network):
    """A publication with a word of its own: the seeded demo is not in the search index."""
    irev = network.centres["irev"]
    return make_publication(library_of(irev.home_page), "Ripisylve et logement", authors=[irev])


from .redis_keys import PREFIX  # noqa: E402

REDIS_DB6 = "redis://127.0.0.1:6379/6"


def search(q, host="localhost"):
    response = Client(HTTP_HOST=host).get("/recherche/", {"q": q})
    assert response.status_code == 200
    return response


def writes_to_queryday(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "search_queryday" in query["sql"]
        and re.match(r"\s*(INSERT|UPDATE)", query["sql"], re.IGNORECASE)
    ]


@pytest.fixture
def in_memory(settings):
    settings.SEARCH_FIGURES_URL = ""
    settings.SEARCH_FIGURES_FLUSH_SECONDS = 3600
    figures.flush_memory()  # a clean counter, and the hour starts now
    yield
    figures.flush_memory()


@pytest.fixture
def in_redis(settings, monkeypatch):
    settings.SEARCH_FIGURES_URL = REDIS_DB6
    # This run's and worker's own hash: they share database 6.
    key = f"{PREFIX}:search:figures"
    monkeypatch.setattr(figures, "KEY", key)
    server = redis.Redis.from_url(REDIS_DB6)
    server.delete(key)
    yield server, key
    server.delete(key)


def test_searches_counted_in_memory_are_stored_by_a_flush(in_memory, network, ripisylve):
    before = QueryDay.objects.count()
    with CaptureQueriesContext(connection) as queries:
        search("ripisylve")
        search("ripisylve")
        search("introuvablissime")
    assert writes_to_queryday(queries) == []
    assert QueryDay.objects.count() == before
    assert figures.flush() == 3
    row = QueryDay.objects.get(site=network.national_site, query="ripisylve")
    assert (row.hits, row.empty_hits, row.date) == (2, 0, timezone.localdate())
    empty = QueryDay.objects.get(query="introuvablissime")
    assert (empty.hits, empty.empty_hits) == (1, 1)


def test_searches_counted_in_redis_are_stored_by_the_job(in_redis, network, ripisylve):
    server, key = in_redis
    with CaptureQueriesContext(connection) as queries:
        search("ripisylve")
        search("ripisylve", host="irev.localhost")
        search("introuvablissime")
    assert writes_to_queryday(queries) == []
    assert sum(int(value) for value in server.hvals(key)) == 3
    call_command("flush_search_figures", stdout=open(os.devnull, "w"))
    assert not server.exists(key), "the counted searches are moved, not copied"
    national = QueryDay.objects.get(site=network.national_site, query="ripisylve")
    assert (national.hits, national.empty_hits) == (1, 0)
    irev = QueryDay.objects.get(site=network.centres["irev"].site, query="ripisylve")
    assert irev.hits == 1
    assert QueryDay.objects.get(query="introuvablissime").empty_hits == 1
    # A second flush finds nothing new: nothing is counted twice.
    assert figures.flush() == 0
    assert QueryDay.objects.get(site=network.national_site, query="ripisylve").hits == 1


def test_with_redis_down_searches_are_counted_in_memory(settings, network):
    settings.SEARCH_FIGURES_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.SEARCH_FIGURES_FLUSH_SECONDS = 3600
    figures.flush_memory()
    search("ripisylve")
    assert figures.flush_memory() == 1
    assert QueryDay.objects.get(site=network.national_site, query="ripisylve").hits == 1
