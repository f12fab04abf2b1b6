"""Whole pages served from the cache to anonymous visitors (portal.middleware.
PageCacheMiddleware), on the real Redis server of this machine (database 6): what is
cached, for whom, the headers a CDN reads, and that publishing, unpublishing, moving or
deleting anything shows at once, on the centre's site and on the national pages."""

import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.test import Client

from wagtail.models import PageViewRestriction

import pytest
import redis

from agenda.models import AgendaPage

from .conftest import host_of
from .test_agenda_helpers import make_event

pytestmark = pytest.mark.django_db

REDIS_DB6 = "redis://127.0.0.1:6379/6"
# Tomorrow: the first upcoming events are on the agenda's first page.
SOON = date.today() + timedelta(days=1)
# The versions held a minute (not a second): a slow run must not turn a hit into a read.
PAGE_CACHE = {
    "PAGE_CACHE_SECONDS": 300,
    "PAGE_CACHE_BROWSER_SECONDS": 60,
    "CONTENT_VERSION_SECONDS": 60,
}


# One prefix per run and worker: runs and workers share database 6 and empty only their
# own keys.
from .redis_keys import PREFIX  # noqa: E402


def redis_cache(location=REDIS_DB6):
    return {
        "default": {
            "BACKEND": "portal.cache_backends.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": PREFIX,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def on_redis(settings):
    """The page cache on, on Redis database 6, this worker's keys emptied before and
    after."""
    server = redis.Redis.from_url(REDIS_DB6)
    empty(server)
    settings.CACHES = redis_cache()
    for name, value in PAGE_CACHE.items():
        setattr(settings, name, value)
    yield server
    empty(server)


def empty(server):
    keys = list(server.scan_iter(match=f"{PREFIX}:*"))
    if keys:
        server.delete(*keys)


def get(path, host="localhost", client=None):
    return (client or Client(HTTP_HOST=host)).get(path, HTTP_HOST=host)


def agenda_of(centre):
    return AgendaPage.objects.descendant_of(centre.home_page).get()


def test_the_second_anonymous_visit_is_served_from_redis(on_redis, django_assert_max_num_queries):
    first = get("/le-reseau/")
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    assert any(b"page:" in key for key in on_redis.keys(f"{PREFIX}:*")), (
        "the page is stored in Redis"
    )
    # A hit costs no query (the versions are read from Redis with the page: a
    # version read from the database at most once a second, CONTENT_VERSION_SECONDS).
    with django_assert_max_num_queries(0):
        second = get("/le-reseau/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_the_redis_client_is_built_once(on_redis):
    """Django's Redis cache builds a client per call; the portal's keeps one per server
    (portal/cache_backends.py), and the cache still reads and writes through it."""
    from django.core.cache import caches

    backend = caches["default"]
    backend.set(f"{PREFIX}:probe", "ok")
    first = backend._cache.get_client("probe")
    assert backend._cache.get_client("probe") is first
    assert backend.get(f"{PREFIX}:probe") == "ok"
    backend.delete(f"{PREFIX}:probe")


def test_without_redis_the_local_memory_cache_serves_pages(settings):
    for name, value in PAGE_CACHE.items():
        setattr(settings, name, value)
    assert get("/le-reseau/")["X-Cache"] == "MISS"
    assert get("/le-reseau/")["X-Cache"] == "HIT"


def test_cached_pages_tell_a_cdn_and_browsers_how_long_to_keep_them(on_redis):
    for response in (get("/"), get("/")):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=60", "s-maxage=300"}
        # Logged-in editors get other pages (the userbar): a shared cache must key on cookies.
        assert "Cookie" in response["Vary"]


def test_each_site_and_each_query_string_is_its_own_page(on_redis, network):
    national = get("/agenda/")
    centre = get("/agenda/", host=host_of(network.centres["irev"]))
    assert centre["X-Cache"] == "MISS"
    assert centre.content != national.content
    assert get("/agenda/?when=passes")["X-Cache"] == "MISS"
    assert get("/agenda/?when=passes").content != national.content


def test_a_signed_in_editor_always_gets_the_live_page(on_redis, network):
    assert get("/le-reseau/")["X-Cache"] == "MISS"
    editor = network.client_for("coordination")
    for _ in range(2):
        response = get("/le-reseau/", client=editor)
        assert response.status_code == 200
        assert "X-Cache" not in response
        assert b"wagtail-userbar" in response.content  # not the anonymous page


PUBLIC_PAGES = [
    ("localhost", "/"),
    ("localhost", "/les-crpv/"),
    ("localhost", "/le-reseau/"),
    ("localhost", "/agenda/"),
    ("localhost", "/agenda/?when=passes&format=webinaire"),
    ("localhost", "/agenda/rss/"),
    ("localhost", "/agenda/ical/"),
    ("localhost", "/ressources/"),
    ("localhost", "/groupes-de-travail/sante/"),
    ("localhost", "/mentions-legales/"),
    ("localhost", "/robots.txt"),
    ("localhost", "/sitemap.xml"),
    ("irev.localhost", "/"),
    ("irev.localhost", "/agenda/"),
    ("irev.localhost", "/ressources/"),
    ("irev.localhost", "/le-centre/"),
    ("irev.localhost", "/accessibilite/"),
]


@pytest.mark.parametrize(("host", "path"), PUBLIC_PAGES)
def test_public_pages_set_no_cookie_and_are_cached(on_redis, network, host, path):
    first = get(path, host=host)
    assert first.status_code == 200
    assert not first.cookies, f"{path} sets {list(first.cookies)}: every cache would skip it"
    assert "Set-Cookie" not in first
    assert get(path, host=host)["X-Cache"] == "HIT"


def test_a_missing_page_sets_no_cookie_and_is_not_kept(on_redis):
    response = get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert not response.cookies
    assert "X-Cache" not in get("/cette-page-n-existe-pas/")


def test_a_password_protected_page_is_never_served_from_the_cache(on_redis, network):
    page = network.national_home.get_children().get(slug="le-reseau")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="reserve-au-reseau"
    )
    for _ in range(2):
        response = get("/le-reseau/")
        assert "X-Cache" not in response or response["X-Cache"] != "HIT"
        assert b'name="password"' in response.content
        assert "anime ce portail depuis" not in response.content.decode()


def test_a_centre_event_shows_on_the_cached_national_agenda_as_soon_as_published(on_redis, network):
    irev = network.centres["irev"]
    title = "Atelier cache et quartiers"
    assert get("/agenda/")["X-Cache"] == "MISS"
    assert get("/agenda/")["X-Cache"] == "HIT"

    event = make_event(agenda_of(irev), title, start_date=SOON, organisers=[irev])
    response = get("/agenda/")
    assert response["X-Cache"] == "MISS"
    assert title in response.content.decode()
    assert get("/agenda/")["X-Cache"] == "HIT"

    event.title = "Atelier renommé"
    event.save_revision().publish()
    assert "Atelier renommé" in get("/agenda/").content.decode()

    event.unpublish()
    assert "Atelier renommé" not in get("/agenda/").content.decode()
    assert get(f"/agenda/{event.slug}/", host=host_of(irev)).status_code == 404


def test_a_deleted_page_is_gone_from_the_cached_listing_and_its_address(on_redis, network):
    irev = network.centres["irev"]
    event = make_event(agenda_of(irev), "Séminaire supprimé", start_date=SOON, organisers=[irev])
    path = "/agenda/" + event.slug + "/"
    assert get(path, host=host_of(irev)).status_code == 200
    assert get(path, host=host_of(irev))["X-Cache"] == "HIT"
    assert "Séminaire supprimé" in get("/agenda/").content.decode()
    event.delete()
    assert get(path, host=host_of(irev)).status_code == 404
    assert "Séminaire supprimé" not in get("/agenda/").content.decode()


def test_a_moved_page_leaves_its_old_address_at_once(on_redis, network):
    irev, crcsur = network.centres["irev"], network.centres["crcsur"]
    event = make_event(agenda_of(irev), "Forum déplacé", start_date=SOON, organisers=[irev])
    path = "/agenda/" + event.slug + "/"
    assert get(path, host=host_of(irev))["X-Cache"] == "MISS"
    assert get(path, host=host_of(irev))["X-Cache"] == "HIT"
    event.move(agenda_of(crcsur), pos="last-child")
    assert get(path, host=host_of(irev)).status_code == 404
    assert get(path, host=host_of(crcsur)).status_code == 200


def test_redis_down_means_pages_without_cache_not_errors(settings):
    # Port 1 on the loopback: nothing listens, the connection is refused at once.
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")
    for name, value in PAGE_CACHE.items():
        setattr(settings, name, value)
    for path in ("/", "/agenda/", "/le-reseau/"):
        first, second = get(path), get(path)
        assert first.status_code == second.status_code == 200
        assert second["X-Cache"] != "HIT"


class PurgeRecorder(BaseHTTPRequestHandler):
    """Stands for the CDN (or Varnish) that Wagtail's HTTP backend purges."""

    seen: list

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.seen.append((self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    PurgeRecorder.seen = []
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "cdn": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield PurgeRecorder.seen
    server.shutdown()
    server.server_close()


def test_publishing_purges_the_page_from_the_cdn(cdn, network, django_capture_on_commit_callbacks):
    page = network.centres["irev"].home_page.get_children().get(slug="le-centre").specific
    page.title = "Le centre (mis à jour)"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert ("irev.localhost", "/le-centre/") in cdn


def test_editing_a_snippet_shows_on_cached_pages_at_once(on_redis, network):
    from django.urls import reverse

    from .admin_forms import admin_form_data

    irev = network.centres["irev"]
    assert irev.name in get("/les-crpv/").content.decode()
    assert get("/les-crpv/")["X-Cache"] == "HIT"
    admin = network.client_for("admin")
    url = reverse("wagtailsnippets_centres_centre:edit", args=[irev.pk])
    form = admin.get(url).context["form"]
    response = admin.post(url, admin_form_data(form, name="IREV-renommé"))
    assert response.status_code == 302, response.context["form"].errors
    assert "IREV-renommé" in get("/les-crpv/").content.decode()


def test_plain_http_is_redirected_before_any_cache_work(
    on_redis, settings, django_assert_num_queries
):
    """The page cache comes before SecurityMiddleware: under SECURE_SSL_REDIRECT it leaves
    plain HTTP alone (no cache read, no version loaded from the database), so the redirect
    costs nothing and works on a database not yet migrated (a monitor, a first deploy)."""
    settings.SECURE_SSL_REDIRECT = True
    secure = Client(HTTP_HOST="localhost")
    assert secure.get("/le-reseau/", secure=True)["X-Cache"] == "MISS"
    empty(on_redis)  # the versions too: a lookup would read them from the database
    with django_assert_num_queries(0):
        plain = Client(HTTP_HOST="localhost").get("/le-reseau/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://localhost/le-reseau/"
    assert not list(on_redis.scan_iter(match=f"{PREFIX}:*"))
