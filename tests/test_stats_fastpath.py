"""The beacon's fast path: the lean WSGI dispatch ahead of Django's stack (stats/wsgi.py),
the in-process site and page maps (stats/maps.py), the Redis queue and its batched
inserts (stats/queue.py, against the machine's Redis, database 5), and the monthly
rollups the long reports read (PageMonth). Refusals and figures must not change."""

import io
import json
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import DatabaseError, close_old_connections
from django.db.models import Max, Sum
from django.utils import timezone

import pytest
import redis

from stats import maps, queue
from stats.models import Event, ExcludedUser, PageDay, PageMonth
from stats.privacy import forget_cached_salts, local_day
from stats.report import build, rolled_up_pages
from stats.wsgi import with_beacon_path

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
from .redis_keys import PREFIX  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture(autouse=True)
def fresh_salts():
    forget_cached_salts()
    yield
    forget_cached_salts()


@pytest.fixture
def wsgi(monkeypatch):
    """The portal's WSGI application as portal/wsgi.py builds it, with a spy on Django's
    own handler. Django's connection closing is held off, as its test client does: the
    test's transaction must survive the request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    django_handler = WSGIHandler()
    through_django = []

    def spy(environ, start_response):
        through_django.append(environ["PATH_INFO"])
        return django_handler(environ, start_response)

    app = with_beacon_path(spy)
    app.through_django = through_django
    yield app
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def call(app, host, body=b"", *, method="POST", content_type="text/plain", **meta):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/stats/event",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": content_type,
        "REMOTE_ADDR": "192.0.2.1",
        "HTTP_HOST": host,
        "HTTP_USER_AGENT": BROWSER,
        **meta,
    }
    answered = {}

    def start_response(status, headers):
        answered.update(status=int(status.split()[0]), headers=dict(headers), status_line=status)

    response = app(environ, start_response)
    try:
        answered["body"] = b"".join(response)
    finally:
        getattr(response, "close", lambda: None)()
    return answered


def event_body(host, path, page=None, **extra):
    body = {"url": f"http://{host}{path}", "referrer": "", **extra}
    if page is not None:
        body["page"] = page
    return json.dumps(body).encode()


@pytest.fixture
def queued(settings, monkeypatch):
    """The Redis queue on (database 5), under this run's own keys, emptied before and
    after; no flushing thread (STATS_FLUSH_SECONDS = 0): the test flushes, inside its
    own transaction."""
    monkeypatch.setattr(queue, "QUEUE_KEY", f"{PREFIX}:stats:events")
    monkeypatch.setattr(queue, "LOCK_KEY", f"{PREFIX}:stats:flush-lock")
    monkeypatch.setattr(queue, "RATE_KEY", f"{PREFIX}:stats:rate")
    settings.STATS_QUEUE_URL = REDIS_URL
    settings.STATS_FLUSH_SECONDS = 0
    client = redis.Redis.from_url(REDIS_URL)

    def empty():
        client.delete(queue.QUEUE_KEY, queue.LOCK_KEY, *client.scan_iter(f"{queue.RATE_KEY}:*"))

    empty()
    yield client
    empty()


# --- the lean path ------------------------------------------------------------------


def test_a_beacon_takes_the_lean_path_and_is_stored(network, wsgi):
    home = network.national_home
    answered = call(wsgi, "localhost", event_body("localhost", "/", home.pk, first_visit=True))
    assert answered["status"] == 204
    assert "no-store" in answered["headers"]["Cache-Control"]
    assert "Set-Cookie" not in answered["headers"]
    assert wsgi.through_django == []
    event = Event.objects.get()
    assert (event.site_id, event.page_id, event.path, event.first_visit) == (
        network.national_site.pk,
        home.pk,
        "/",
        True,
    )


def test_other_requests_go_to_django(network, wsgi):
    environ_path = "/le-reseau/"
    answered = {}
    wsgi(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": environ_path,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
            "HTTP_HOST": "localhost",
        },
        lambda status, headers: answered.update(status=status),
    )
    assert wsgi.through_django == [environ_path] and answered["status"].startswith("200")


@pytest.mark.parametrize(
    "case, status",
    [
        ("get", 405),
        ("malformed", 400),
        ("huge", 413),
        ("form_encoded", 415),
        ("unknown_page", 404),
        ("other_site_url", 403),
        ("cross_origin", 403),
        ("bad_origin", 403),
        ("bad_page_id", 400),
        ("disallowed_host", 400),
    ],
)
def test_refusals_on_the_lean_path_are_those_of_django(network, wsgi, case, status):
    irev = network.centres["irev"].home_page
    answered = {
        "get": lambda: call(wsgi, "localhost", method="GET"),
        "malformed": lambda: call(wsgi, "localhost", b"{not json"),
        "huge": lambda: call(wsgi, "localhost", b'{"url": "' + b"a" * 10_000 + b'"}'),
        "form_encoded": lambda: call(
            wsgi,
            "localhost",
            b"url=http://localhost/",
            content_type="application/x-www-form-urlencoded",
        ),
        "unknown_page": lambda: call(wsgi, "localhost", event_body("localhost", "/nulle-part/")),
        "other_site_url": lambda: call(
            wsgi, "localhost", event_body("irev.localhost", "/", irev.pk)
        ),
        "cross_origin": lambda: call(
            wsgi, "localhost", event_body("localhost", "/"), HTTP_ORIGIN="https://evil.example"
        ),
        "bad_origin": lambda: call(
            wsgi, "localhost", event_body("localhost", "/"), HTTP_ORIGIN="http://["
        ),
        "bad_page_id": lambda: call(
            wsgi, "localhost", b'{"url": "http://localhost/", "page": "x"}'
        ),
        "disallowed_host": lambda: call(wsgi, "evil.example", event_body("evil.example", "/")),
    }[case]()
    assert answered["status"] == status
    assert answered["body"] and b"Traceback" not in answered["body"]
    assert "no-store" in answered["headers"]["Cache-Control"]
    if status == 405:
        assert answered["headers"]["Allow"] == "POST"
    assert wsgi.through_django == []
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "meta",
    [
        {
            "HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        },
        {"HTTP_USER_AGENT": ""},
        {"HTTP_DNT": "1"},
        {"HTTP_SEC_GPC": "1"},
    ],
    ids=["bot", "no-agent", "dnt", "gpc"],
)
def test_bots_and_do_not_track_are_dropped_on_the_lean_path(network, wsgi, meta):
    body = event_body("localhost", "/", network.national_home.pk)
    assert call(wsgi, "localhost", body, **meta)["status"] == 204
    assert call(wsgi, "localhost", body, **meta)["status"] == 204  # the cached verdict
    assert not Event.objects.exists()


def test_the_trusted_proxy_header_is_read_on_the_lean_path(network, wsgi, settings):
    body = event_body("localhost", "/", network.national_home.pk)
    settings.TRUSTED_PROXIES = ["192.0.2.1"]  # call()'s REMOTE_ADDR: the proxy
    for forwarded in ("1.2.3.4, 198.51.100.1", "5.6.7.8, 198.51.100.2"):
        call(wsgi, "localhost", body, HTTP_X_FORWARDED_FOR=forwarded)
    assert Event.objects.values("visitor").distinct().count() == 2
    settings.TRUSTED_PROXIES = []
    Event.objects.all().delete()
    for forwarded in ("198.51.100.1", "198.51.100.2"):
        call(wsgi, "localhost", body, HTTP_X_FORWARDED_FOR=forwarded)
    assert Event.objects.values("visitor").distinct().count() == 1


def test_a_flood_is_refused_on_the_lean_path(network, wsgi):
    import stats.collect

    body = event_body("localhost", "/", network.national_home.pk)
    # One fixed instant: the limit counts per minute, and five calls may straddle one.
    instant = timezone.now().replace(second=30)
    with (
        mock.patch.object(stats.collect, "RATE_LIMIT", 3),
        mock.patch.object(stats.collect, "current_time", lambda: instant),
    ):
        statuses = [call(wsgi, "localhost", body)["status"] for _ in range(5)]
    assert statuses == [204] * 3 + [429] * 2
    assert Event.objects.count() == 3


def test_a_flood_is_refused_with_the_queue_in_the_same_round_trip(network, wsgi, queued):
    import stats.collect

    body = event_body("localhost", "/", network.national_home.pk)
    # One fixed instant: the limit counts per minute, and five calls may straddle one.
    instant = timezone.now().replace(second=30)
    with (
        mock.patch.object(stats.collect, "RATE_LIMIT", 3),
        mock.patch.object(stats.collect, "current_time", lambda: instant),
    ):
        statuses = [call(wsgi, "localhost", body)["status"] for _ in range(5)]
    assert statuses == [204] * 3 + [429] * 2
    assert queued.llen(queue.QUEUE_KEY) == 3
    assert queue.flush() == 3 and Event.objects.count() == 3


def test_a_session_cookie_sends_the_beacon_through_django_for_the_opt_out(network, wsgi):
    client = network.client_for("editeur-irev", host="irev.localhost")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    home = network.centres["irev"].home_page
    body = event_body("irev.localhost", "/", home.pk)
    assert call(wsgi, "irev.localhost", body, HTTP_COOKIE=cookie)["status"] == 204
    assert Event.objects.count() == 1 and wsgi.through_django == ["/stats/event"]
    ExcludedUser.objects.create(user=network.user("editeur-irev"))
    assert call(wsgi, "irev.localhost", body, HTTP_COOKIE=cookie)["status"] == 204
    assert Event.objects.count() == 1  # opted out: not counted
    assert call(wsgi, "irev.localhost", body)["status"] == 204  # the same browser, signed out
    assert Event.objects.count() == 2


def test_a_plain_http_beacon_is_left_to_djangos_https_redirect(network, wsgi, settings):
    settings.SECURE_SSL_REDIRECT = True
    app = with_beacon_path(WSGIHandler())  # its middleware reads the setting when built
    answered = call(app, "localhost", event_body("localhost", "/", network.national_home.pk))
    assert answered["status"] == 301  # the lean path never redirects: Django did
    assert not Event.objects.exists()
    https = call(
        app,
        "localhost",
        event_body("localhost", "/", network.national_home.pk),
        **{"wsgi.url_scheme": "https"},
    )
    assert https["status"] == 204 and Event.objects.count() == 1


@pytest.mark.parametrize("case", ["counted", "get", "malformed", "unknown_page"])
def test_the_lean_answer_has_the_headers_of_djangos(network, wsgi, case):
    """The lean path writes its answer without an HttpResponse: same status line, same
    headers in the same order, same body as stats.views.answer."""
    from stats.views import answer

    body = {
        "counted": event_body("localhost", "/", network.national_home.pk),
        "get": b"",
        "malformed": b"{not json",
        "unknown_page": event_body("localhost", "/nulle-part/"),
    }[case]
    answered = call(wsgi, "localhost", body, method="GET" if case == "get" else "POST")
    response = answer(answered["status"], answered["body"].decode())
    assert list(answered["headers"].items()) == list(response.items())
    assert answered["status_line"] == f"{response.status_code} {response.reason_phrase}"
    assert answered["body"] == response.content
    assert wsgi.through_django == []


# --- the maps -----------------------------------------------------------------------


def test_known_pages_cost_no_query_and_an_unpublished_page_is_refused(
    network, wsgi, queued, settings, django_assert_num_queries
):
    settings.STATS_MAP_REFRESH_SECONDS = 3600
    page = network.national_home.get_children().get(slug="le-reseau")
    body = event_body("localhost", "/le-reseau/", page.pk)
    assert call(wsgi, "localhost", body)["status"] == 204  # fills the maps and today's salt
    with django_assert_num_queries(0):
        assert call(wsgi, "localhost", body)["status"] == 204
    page.unpublish()  # bumps the content version
    maps._checked["at"] = float("-inf")  # the next look at the version is due
    assert call(wsgi, "localhost", body)["status"] == 404
    assert queue.flush() == 2


# --- the queue ----------------------------------------------------------------------


def test_queued_beacons_are_stored_by_the_flush_all_of_them(network, wsgi, queued):
    home = network.national_home
    pages = {"/": home.pk, "/le-reseau/": home.get_children().get(slug="le-reseau").pk}
    sent = 0
    for number in range(30):
        path = "/" if number % 3 else "/le-reseau/"
        answered = call(
            wsgi,
            "localhost",
            event_body("localhost", path, pages[path]),
            REMOTE_ADDR=f"192.0.2.{number}",
        )
        assert answered["status"] == 204 and "no-store" in answered["headers"]["Cache-Control"]
        sent += 1
    assert not Event.objects.exists() and queued.llen(queue.QUEUE_KEY) == sent
    assert queue.flush(batch=7) == sent  # several batches
    assert Event.objects.count() == sent and queued.llen(queue.QUEUE_KEY) == 0
    assert Event.objects.filter(path="/le-reseau/").count() == 10
    assert Event.objects.values("visitor").distinct().count() == 30


def test_a_queued_event_is_stored_exactly_as_a_direct_one(network, wsgi, queued, settings):
    body = event_body(
        "localhost",
        "/",
        network.national_home.pk,
        first_visit=True,
        referrer="https://www.qwant.com/?q=x",
    )
    call(wsgi, "localhost", body)
    queue.flush()
    settings.STATS_QUEUE_URL = ""
    call(wsgi, "localhost", body)
    fields = [f for f in queue.FIELDS]
    queued_row, direct_row = Event.objects.order_by("pk").values(*fields)
    assert queued_row["occurred_at"] <= direct_row["occurred_at"]
    queued_row.pop("occurred_at"), direct_row.pop("occurred_at")
    assert queued_row == direct_row


def test_nothing_is_lost_when_the_database_fails_during_a_flush(network, wsgi, queued):
    body = event_body("localhost", "/", network.national_home.pk)
    for number in range(5):
        call(wsgi, "localhost", body, REMOTE_ADDR=f"198.51.100.{number}")
    with mock.patch.object(queue, "insert", side_effect=DatabaseError("down")):
        with pytest.raises(DatabaseError):
            queue.flush()
    assert queued.llen(queue.QUEUE_KEY) == 5 and not Event.objects.exists()
    # Beacons answered meanwhile join the queue; the next flush stores all of them.
    call(wsgi, "localhost", body, REMOTE_ADDR="198.51.100.9")
    assert queue.flush() == 6 and Event.objects.count() == 6


def test_a_flush_waits_for_another_process_holding_the_lock(network, wsgi, queued):
    call(wsgi, "localhost", event_body("localhost", "/", network.national_home.pk))
    queued.set(queue.LOCK_KEY, "another-process", px=5000)
    assert queue.flush(wait=0.2) == 0  # not our turn: the events stay queued
    assert queued.llen(queue.QUEUE_KEY) == 1
    queued.delete(queue.LOCK_KEY)
    assert queue.flush() == 1


def test_an_unreadable_item_is_dropped_without_blocking_the_queue(network, wsgi, queued):
    queued.rpush(queue.QUEUE_KEY, b"not json")
    call(wsgi, "localhost", event_body("localhost", "/", network.national_home.pk))
    assert queue.flush() == 1 and queued.llen(queue.QUEUE_KEY) == 0


def test_stats_flush_empties_the_queue(network, wsgi, queued):
    call(wsgi, "localhost", event_body("localhost", "/", network.national_home.pk))
    out = StringIO()
    call_command("stats_flush", stdout=out)
    assert "1 events stored" in out.getvalue() and Event.objects.count() == 1


def test_a_broken_redis_connection_is_replaced_and_the_beacon_queued(network, wsgi, queued):
    body = event_body("localhost", "/", network.national_home.pk)
    assert call(wsgi, "localhost", body)["status"] == 204
    # Redis restarted, or closed the connection: the thread's kept connection is dead.
    kept = queue.thread_connection(queue.client())
    kept.send_command("CLIENT", "ID")
    queued.client_kill_filter(_id=kept.read_response())
    assert call(wsgi, "localhost", body, REMOTE_ADDR="192.0.2.2")["status"] == 204
    assert queued.llen(queue.QUEUE_KEY) == 2
    assert queue.flush() == 2 and Event.objects.count() == 2


def test_a_script_unknown_to_redis_is_sent_whole(network, wsgi, queued, monkeypatch):
    """After a Redis restart (or SCRIPT FLUSH) EVALSHA answers NOSCRIPT: EVAL instead."""
    monkeypatch.setattr(queue, "PUSH_SHA", b"0" * 40)  # a script Redis never saw
    assert (
        call(wsgi, "localhost", event_body("localhost", "/", network.national_home.pk))["status"]
        == 204
    )
    assert queued.llen(queue.QUEUE_KEY) == 1
    assert queue.flush() == 1 and Event.objects.count() == 1


def test_without_redis_the_event_is_stored_at_once(network, wsgi, settings):
    settings.STATS_QUEUE_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert (
        call(wsgi, "localhost", event_body("localhost", "/", network.national_home.pk))["status"]
        == 204
    )
    assert Event.objects.count() == 1


def test_todays_report_holds_the_queued_beacons(network, wsgi, queued):
    site = network.national_site.pk
    for number in range(4):
        call(
            wsgi,
            "localhost",
            event_body("localhost", "/", network.national_home.pk),
            REMOTE_ADDR=f"203.0.113.{number}",
        )
    today = local_day()
    report = build([site], today, today)
    assert (report.totals.page_views, report.totals.visitors) == (4, 4)
    out = StringIO()
    call_command(
        "stats_report",
        "--site",
        "localhost",
        "--year",
        str(today.year),
        "--format",
        "json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["page_views"] == 4


# --- the monthly rollups ------------------------------------------------------------


def page_days(site_ids, start, end):
    """What the report read before PageMonth: one query over PageDay."""
    return {
        (row["site_id"], row["path"]): (row["pid"], row["v"], row["u"], row["vi"], row["e"])
        for row in PageDay.objects.filter(site_id__in=site_ids, day__gte=start, day__lte=end)
        .values("site_id", "path")
        .annotate(
            pid=Max("page_id"),
            v=Sum("page_views"),
            u=Sum("unique_page_views"),
            vi=Sum("visitors"),
            e=Sum("entries"),
        )
    }


def test_monthly_rollups_give_the_figures_of_the_daily_ones(network):
    from wagtail.models import Site

    call_command("stats_demo", "--days", "70", stdout=StringIO())
    today = local_day()
    assert PageMonth.objects.exists()
    sites = list(Site.objects.values_list("pk", flat=True))
    periods = [
        (today - timedelta(days=70), today),  # a partial month, whole months, today
        (today.replace(day=1) - timedelta(days=1)).replace(day=1),
        (today - timedelta(days=45), today - timedelta(days=10)),
        (today - timedelta(days=3), today - timedelta(days=1)),  # no whole month
        (today.replace(month=1, day=1), today.replace(month=12, day=31)),  # the year
    ]
    periods[1] = (periods[1], today.replace(day=1) - timedelta(days=1))  # last month exactly
    for start, end in periods:
        for ids in (sites, sites[:1]):
            got = {
                key: (f.page_id, f.page_views, f.unique_page_views, f.visitors, f.entries)
                for key, f in rolled_up_pages(ids, start, end).items()
            }
            assert got == page_days(ids, start, end), (start, end)
    # A day rolled up again rewrites its month.
    PageDay.objects.filter(day=today - timedelta(days=1)).delete()
    from stats.rollup import write_days, write_months  # noqa: F401

    for site in sites:
        write_months(site, today - timedelta(days=1), today - timedelta(days=1))
    start, end = periods[1]
    assert {k: f.page_views for k, f in rolled_up_pages(sites, start, end).items()} == {
        k: v[1] for k, v in page_days(sites, start, end).items()
    }
