"""What a cached page costs, and what a publication throws away (portal.middleware,
portal.cache): a hit runs no SQL query and no other middleware, on Redis and on the
per-process cache; conditional requests get 304; a publication on one centre's site
leaves the other centres' cached pages in use and refreshes those that show it."""

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from agenda.models import EventPage

from .conftest import host_of
from .test_cache_pages import PAGE_CACHE, agenda_of, get
from .test_cache_pages import on_redis as on_redis  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

# PAGE_CACHE holds the versions a minute, so that a slow run cannot turn a hit into a
# version read; a publication deletes them at once all the same.
HELD = PAGE_CACHE


@pytest.fixture
def per_process(settings):
    for name, value in HELD.items():
        setattr(settings, name, value)


@pytest.fixture
def redis_held(on_redis):  # noqa: F811
    return on_redis


PAGES = [
    ("localhost", "/"),
    ("localhost", "/agenda/"),
    ("localhost", "/ressources/"),
    ("localhost", "/agenda/rss/"),
    ("irev.localhost", "/"),
    ("irev.localhost", "/le-centre/"),
]


@pytest.mark.parametrize("backend", ["redis_held", "per_process"])
@pytest.mark.parametrize(("host", "path"), PAGES)
def test_a_cache_hit_runs_no_sql_query(request, backend, host, path):
    request.getfixturevalue(backend)
    first = get(path, host=host)
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = get(path, host=host)
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert [query["sql"] for query in queries] == []


def test_a_hit_keeps_the_headers_of_the_middleware_it_skips(per_process):
    first, second = get("/le-reseau/"), get("/le-reseau/")
    assert second["X-Cache"] == "HIT"
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "ETag", "Content-Type"):
        assert second[name] == first[name], name
    assert "Set-Cookie" not in second


def test_a_visitor_with_a_csrf_cookie_is_never_served_from_the_cache(per_process):
    assert get("/le-reseau/")["X-Cache"] == "MISS"
    client = Client(HTTP_HOST="localhost")
    client.cookies["csrftoken"] = "x" * 32
    assert "X-Cache" not in client.get("/le-reseau/")


def test_the_redis_client_is_built_once(redis_held):
    backend = cache._cache
    assert backend.get_client() is backend.get_client()
    assert backend.get_client("a", write=True) is backend.get_client("b", write=True)


# --- Conditional requests ------------------------------------------------------------

CONDITIONAL = [
    ("localhost", "/le-reseau/"),
    ("localhost", "/agenda/rss/"),
    ("localhost", "/ressources/atom/"),
    ("localhost", "/api/v2/events/"),
    ("irev.localhost", "/agenda/ical/"),
]


@pytest.mark.parametrize("cached", [False, True])
@pytest.mark.parametrize(("host", "path"), CONDITIONAL)
def test_an_unchanged_page_is_answered_304(settings, network, cached, host, path):
    if cached:
        for name, value in HELD.items():
            setattr(settings, name, value)
    first = get(path, host=host)
    assert first.status_code == 200
    etag = first["ETag"]
    again = Client(HTTP_HOST=host).get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = Client(HTTP_HOST=host).get(path, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content


def test_a_changed_page_gets_a_new_etag(per_process, network):
    page = network.centres["irev"].home_page.get_children().get(slug="le-centre").specific
    before = get("/le-centre/", host="irev.localhost")
    page.title = "Le centre, autrement"
    page.save_revision().publish()
    after = Client(HTTP_HOST="irev.localhost").get("/le-centre/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


# --- What a publication invalidates ---------------------------------------------------


def centre_event(centre):
    """An event of `centre`'s agenda organised by that centre alone."""
    agenda = agenda_of(centre)
    return (
        EventPage.objects.child_of(agenda)
        .live()
        .filter(organisers=centre)
        .exclude(organisers__in=centre.__class__.objects.exclude(pk=centre.pk))
        .first()
    )


@pytest.mark.parametrize("backend", ["redis_held", "per_process"])
def test_a_publication_keeps_other_centres_pages_cached(request, backend, network):
    request.getfixturevalue(backend)
    irev, crcsur = network.centres["irev"], network.centres["crcsur"]
    event = centre_event(irev)
    assert event is not None, "the demo gives IREV an event of its own"
    shown = [
        (host_of(irev), "/agenda/"),
        (host_of(irev), event.url_path.removeprefix(irev.home_page.url_path[:-1])),
        ("localhost", "/agenda/"),
    ]
    untouched = [
        (host_of(crcsur), "/"),
        (host_of(crcsur), "/agenda/"),
        (host_of(crcsur), "/le-centre/"),
    ]
    for host, path in shown + untouched:
        assert get(path, host=host).status_code == 200, (host, path)
        assert get(path, host=host)["X-Cache"] == "HIT", (host, path)

    event.title = "Atelier republié"
    event.save_revision().publish()

    for host, path in shown:
        response = get(path, host=host)
        assert response["X-Cache"] == "MISS", (host, path)
        assert "Atelier republié" in response.content.decode(), (host, path)
    for host, path in untouched:
        assert get(path, host=host)["X-Cache"] == "HIT", (host, path)
