"""Publishing does not make the next visitor pay (portal.warmup, search.table): after the
commit, the search's table is built once and shared through the cache, and the main
pages of the sites that show the change are requested off the visitor's path; the first
search and library request after a publication cost about what a warm one costs."""

import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from portal import warmup
from portal.cache import content_version
from search import table

from .test_publications_helpers import library_of, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def ripisylve(network):
    """A publication with a word of its own: the seeded demo is not in the search index."""
    irev = network.centres["irev"]
    return make_publication(library_of(irev.home_page), "Ripisylve et logement", authors=[irev])


def le_centre(network):
    return network.centres["irev"].home_page.get_children().get(slug="le-centre").specific


def publish(page, title, capture):
    page.title = title
    with capture(execute=True):  # the commit's callbacks: the warm-up
        page.save_revision().publish()


def test_the_table_is_shared_through_the_cache(network):
    built = table.current()
    table.forget()  # another process: nothing in its memory, the same shared cache
    with CaptureQueriesContext(connection) as queries:
        shared = table.current()
    assert [query["sql"] for query in queries] == []
    assert list(shared.pks) == list(built.pks)
    assert {name: m.tolist() for name, m in shared.members.items()} == {
        name: m.tolist() for name, m in built.members.items()
    }


def test_the_table_is_built_after_the_commit_not_by_the_first_search(
    settings, network, django_capture_on_commit_callbacks
):
    settings.PORTAL_WARMUP = "inline"
    settings.WARMUP_PATHS = []
    before = content_version()
    publish(le_centre(network), "Le centre, republié", django_capture_on_commit_callbacks)
    version = content_version()
    assert version > before
    assert cache.get(table.shared_key(version)) is not None, "built and shared at the commit"
    with CaptureQueriesContext(connection) as queries:
        table.current()
    assert not any("wagtailcore_page" in query["sql"] for query in queries)


def test_a_background_warm_up_builds_the_table_off_the_request_path(
    settings, network, django_capture_on_commit_callbacks
):
    settings.PORTAL_WARMUP = "thread"
    settings.WARMUP_PATHS = []  # the thread reads only: the test's rows are not committed
    publish(le_centre(network), "Le centre, en tâche de fond", django_capture_on_commit_callbacks)
    warmup.wait(timeout=60)
    assert cache.get(table.shared_key(content_version())) is not None


def test_while_the_table_is_being_built_searches_use_the_previous_one(network):
    previous = table.current()
    version = content_version()
    # The warm-up of a newer version has started elsewhere (its marker is shared).
    cache.set(table.building_key(version + 1), 1, 60)
    cache.set("portal:versions", {"content": version + 1, "sites": {}}, 60)
    with CaptureQueriesContext(connection) as queries:
        assert table.current() is previous
    assert [query["sql"] for query in queries] == []


def timed(client, path, **params):
    start = time.perf_counter()
    response = client.get(path, params)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, path
    return elapsed


@pytest.mark.parametrize(
    ("path", "params"),
    [("/recherche/", {"q": "ripisylve"}), ("/ressources/", {})],
    ids=["search", "library"],
)
def test_the_first_request_after_a_publication_costs_no_more_than_twice_a_warm_one(
    settings, network, ripisylve, django_capture_on_commit_callbacks, path, params, record_property
):
    """In process, the whole stack (Django's test client, every middleware, the page
    cache off as elsewhere in the suite): medians over five publications, against the
    medians of three warm requests after each, so that one slow moment of a shared
    machine does not decide."""
    settings.PORTAL_WARMUP = "inline"
    client = Client(HTTP_HOST="localhost")
    page = le_centre(network)
    for _ in range(2):
        timed(client, path, **params)  # the process's own first-time costs
    firsts, warms = [], []
    for number in range(5):
        publish(page, f"Le centre, version {number}", django_capture_on_commit_callbacks)
        firsts.append(timed(client, path, **params))
        warms += [timed(client, path, **params) for _ in range(3)]
    first, warm = statistics.median(firsts), statistics.median(warms)
    record_property("summary", f"first {first * 1000:.1f} ms, warm {warm * 1000:.1f} ms")
    assert first <= 2 * warm, f"first {first * 1000:.1f} ms, warm {warm * 1000:.1f} ms"


def test_the_most_searched_queries_are_warmed_after_a_publication_and_not_counted(
    settings, network, ripisylve, django_capture_on_commit_callbacks
):
    from search.figures import WARMED_QUERIES, most_searched_paths
    from search.models import QueryDay

    settings.PORTAL_WARMUP = "inline"
    settings.WARMUP_PATHS = []
    national = network.national_home.get_site()
    client = Client(HTTP_HOST="localhost")
    # "ripisylve" searched most, then six other queries once each: the first five count.
    for query in ["ripisylve"] * 3 + [f"requete {n}" for n in range(6)]:
        assert client.get("/recherche/", {"q": query}).status_code == 200
    paths = most_searched_paths(national)
    assert len(paths) == WARMED_QUERIES and paths[0] == "/recherche/?q=ripisylve"
    counted = QueryDay.objects.get(site=national, query="ripisylve").hits
    assert counted == 3

    publish(le_centre(network), "Le centre, republié", django_capture_on_commit_callbacks)
    # The warm-up searched it: the next visitor's search reads no page nor the index,
    # only counts the search (the tests store each count at once: search.figures).
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/recherche/", {"q": "ripisylve"})
    assert response.status_code == 200
    assert "<mark>Ripisylve</mark> et logement" in response.content.decode()
    counting = ("search_queryday", "SAVEPOINT")
    assert [q["sql"][:90] for q in queries if not any(w in q["sql"] for w in counting)] == []
    # The warm-up's own requests are not a visitor's searches: the visitor's alone counts.
    assert QueryDay.objects.get(site=national, query="ripisylve").hits == counted + 1
