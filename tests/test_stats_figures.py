"""Figures against a synthetic traffic log with known ground truth, replayed through the
real endpoint and download view with the clock set to each event's time. Every figure is
computed by hand below (comments), then asserted from raw events (today's path, before
any rollup), from the daily rollups, and from `stats_report`."""

import json
from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client

from wagtail.documents import get_document_model

import pytest

import stats.collect
from stats.models import Event, PageDay, SiteDay
from stats.privacy import forget_cached_salts
from stats.report import build
from stats.rollup import purge_events, roll_up

from .reads_fixtures import publish_page_using

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2025, 3, 28)  # the next night crosses into summer time: no effect expected
NEXT = DAY + timedelta(days=1)
UA1 = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
UA2 = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15"
)
BOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"


def at(day, hms):
    h, m, s = map(int, hms.split(":"))
    return datetime(day.year, day.month, day.day, h, m, s, tzinfo=PARIS)


# (when, who (address, agent), host, path or document, referrer, first_visit, headers)
# Visitor A (1.1.1.1, UA1) on the portal: session 1 = 10:00 → 10:40 (gaps 10:00 and
# exactly 30:00: one session, 2400 s); session 2 starts after a 30:01 gap with a page
# view and a download at 11:15:01 (300 s, not a bounce).
# Visitor B (2.2.2.2, UA1): 23:50 on the portal from IREV's site (a bounce), then 00:10
# the next day: a new day, a new key, a new visitor and session (a bounce too).
# Visitor C (2.2.2.2, UA2): same address, another browser, so another visitor: one page
# twice and the document twice (1800 s).
# A's address and agent on IREV's site: another visitor there (a bounce).
# A bot and a Do Not Track visitor: never counted.
LOG = [
    (
        at(DAY, "10:00:00"),
        ("1.1.1.1", UA1),
        "localhost",
        "/",
        "https://www.qwant.com/?q=crpv",
        True,
        {},
    ),
    (
        at(DAY, "10:10:00"),
        ("1.1.1.1", UA1),
        "localhost",
        "/les-crpv/",
        "http://localhost/",
        False,
        {},
    ),
    (at(DAY, "10:40:00"), ("1.1.1.1", UA1), "localhost", "/les-crpv/", "", False, {}),
    (at(DAY, "11:10:01"), ("1.1.1.1", UA1), "localhost", "/", "", False, {}),
    (at(DAY, "11:15:01"), ("1.1.1.1", UA1), "localhost", "doc", "http://localhost/", False, {}),
    (at(DAY, "10:05:00"), ("1.1.1.1", UA1), "irev.localhost", "/", "", True, {}),
    (
        at(DAY, "23:50:00"),
        ("2.2.2.2", UA1),
        "localhost",
        "/",
        "http://irev.localhost/le-centre/",
        True,
        {},
    ),
    (at(NEXT, "00:10:00"), ("2.2.2.2", UA1), "localhost", "/les-crpv/", "", False, {}),
    (at(DAY, "09:00:00"), ("2.2.2.2", UA2), "localhost", "/le-reseau/", "", False, {}),
    (at(DAY, "09:29:00"), ("2.2.2.2", UA2), "localhost", "/le-reseau/", "", False, {}),
    (at(DAY, "09:29:30"), ("2.2.2.2", UA2), "localhost", "doc", "", False, {}),
    (at(DAY, "09:30:00"), ("2.2.2.2", UA2), "localhost", "doc", "", False, {}),
    (at(DAY, "12:00:00"), ("3.3.3.3", BOT), "localhost", "/", "", False, {}),
    (at(DAY, "12:00:00"), ("3.3.3.3", BOT), "localhost", "doc", "", False, {}),
    (
        at(DAY, "12:30:00"),
        ("4.4.4.4", UA1),
        "localhost",
        "/le-reseau/",
        "",
        True,
        {"HTTP_DNT": "1"},
    ),
]


@pytest.fixture
def document(network, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    doc = get_document_model()(
        title="Synthèse santé", collection=network.centres["irev"].collection
    )
    doc.file.save("synthese-sante.pdf", ContentFile(b"%PDF-1.4 synthese"), save=False)
    doc.save()
    publish_page_using(doc, network.centres["irev"].home_page)  # public once linked
    return doc


@pytest.fixture
def replayed(network, document):
    forget_cached_salts()
    pages = {
        (site.hostname, "/" + page.url_path[len(site.root_page.url_path) :]): page.pk
        for site in (network.national_site, network.centres["irev"].home_page.get_site())
        for page in site.root_page.get_descendants(inclusive=True).live()
    }
    for when, (address, agent), host, target, referrer, first_visit, headers in LOG:
        meta = {
            "HTTP_HOST": host,
            "REMOTE_ADDR": address,
            "HTTP_USER_AGENT": agent,
            "HTTP_REFERER": referrer,
            **headers,
        }
        with mock.patch.object(stats.collect, "current_time", return_value=when):
            if target == "doc":
                response = Client().get(document.url, **meta)
                assert response.status_code == 200
            else:
                body = {
                    "url": f"http://{host}{target}",
                    "referrer": referrer,
                    "page": pages[(host, target)],
                    "first_visit": first_visit,
                    # A browser new to the site is new to it this year too.
                    "first_of_year": first_visit,
                }
                response = Client().post(
                    "/stats/event", json.dumps(body), content_type="application/json", **meta
                )
                assert response.status_code == 204
    forget_cached_salts()
    return network


def national_and_irev(network):
    return network.national_site.pk, network.centres["irev"].home_page.get_site().pk


def assert_ground_truth(network, document):
    national, irev = national_and_irev(network)
    day = build([national], DAY, DAY)
    t = day.totals
    # Views: A 4 + B 1 + C 2; visitors A, B, C; A is the only new one (B's flag came
    # with its 23:50 view, so B is new too: 2); sessions A 2 + B 1 + C 1.
    assert (t.page_views, t.visitors, t.new_visitors, t.returning_visitors) == (7, 3, 2, 1)
    assert (t.sessions, t.bounces) == (4, 1)  # only B's session is a lone page view
    assert t.duration_seconds == 2400 + 300 + 0 + 1800
    assert t.average_duration_seconds == 1125
    assert t.bounce_rate == 0.25
    # Downloads: A 1 + C 2; unique = sessions that downloaded it: A's second, C's.
    assert (t.downloads, t.unique_downloads) == (3, 2)
    # Unique page views: "/" in A1, A2, B; "/les-crpv/" in A1; "/le-reseau/" in C.
    assert t.unique_page_views == 5
    pages = {
        path: (p.page_views, p.unique_page_views, p.visitors, p.entries)
        for (_site, path), p in day.pages.items()
    }
    assert pages == {"/": (3, 3, 2, 3), "/les-crpv/": (2, 1, 1, 0), "/le-reseau/": (2, 1, 1, 1)}
    assert dict(day.referrers) == {"www.qwant.com": 1, "irev.localhost": 1}
    docs = {pk: (d.title, d.downloads, d.unique_downloads) for pk, d in day.documents.items()}
    assert docs == {document.pk: ("Synthèse santé", 3, 2)}

    next_day = build([national], NEXT, NEXT).totals
    assert (next_day.page_views, next_day.visitors, next_day.sessions, next_day.bounces) == (
        1,
        1,
        1,
        1,
    )
    both_days = build([national], DAY, NEXT).totals
    assert (both_days.page_views, both_days.visitors, both_days.sessions) == (8, 4, 5)

    irev_day = build([irev], DAY, DAY).totals
    assert (irev_day.page_views, irev_day.visitors, irev_day.sessions, irev_day.bounces) == (
        1,
        1,
        1,
        1,
    )
    # The network adds its sites up: A counts once per site.
    network_day = build([national, irev], DAY, DAY).totals
    assert (network_day.page_views, network_day.visitors, network_day.sessions) == (8, 4, 5)
    assert dict(build([national, irev], DAY, NEXT).by_day)[NEXT].page_views == 1


def test_figures_from_raw_events(replayed, document):
    assert not SiteDay.objects.exists()
    assert Event.objects.count() == 8 + 1 + 3  # views (7 + 1 next day + 1 IREV) and downloads
    assert_ground_truth(replayed, document)


def test_figures_from_rollups_then_raw_events_purged(replayed, document):
    roll_up(until=NEXT)
    assert SiteDay.objects.filter(day=DAY, page_views__gt=0).count() == 2
    assert PageDay.objects.filter(day=DAY).count() == 4
    # Once rolled up, the report reads no raw event: delete them to prove it.
    Event.objects.all().delete()
    assert_ground_truth(replayed, document)


def test_a_day_is_rolled_up_once_and_today_stays_live(replayed, document):
    national, _irev = national_and_irev(replayed)
    roll_up(until=DAY)
    assert roll_up(until=DAY) == 0  # nothing left to do
    # NEXT is not rolled up yet: its events are read raw, beside DAY's rollup.
    assert build([national], DAY, NEXT).totals.page_views == 8
    assert roll_up(until=NEXT) == SiteDay.objects.values("site").distinct().count()
    assert build([national], DAY, NEXT).totals.page_views == 8


def test_raw_events_older_than_13_months_are_purged_and_rollups_kept(replayed, document):
    national, _irev = national_and_irev(replayed)
    with mock.patch("stats.rollup.local_day", return_value=NEXT + timedelta(days=1)):
        roll_up()
    with mock.patch("stats.rollup.local_day", return_value=date(2026, 4, 28)):
        assert purge_events() == 0  # 13 months to the day: still kept
    with mock.patch("stats.rollup.local_day", return_value=date(2026, 4, 29)):
        assert purge_events() == 11  # DAY's events
    assert Event.objects.count() == 1  # NEXT's
    assert build([national], DAY, NEXT).totals.page_views == 8


def test_stats_report_prints_the_year_and_the_year_before(replayed, document):
    roll_up(until=NEXT)
    out = StringIO()
    call_command(
        "stats_report", "--site", "localhost", "--year", "2025", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    keys = ("visitors", "daily_visitors", "sessions", "page_views", "unique_downloads")
    assert {k: data[k] for k in keys} == {
        "visitors": 2,  # A and B: first visits of the year (C's browser sent none)
        "daily_visitors": 4,
        "sessions": 5,
        "page_views": 8,
        "unique_downloads": 2,
    }
    assert data["bounce_rate"] == round(2 / 5, 4)
    assert data["average_duration_seconds"] == 900.0  # 4500 s over 5 sessions
    # Compared with the latest earlier year holding figures: the seed's import of 2023.
    assert data["previous_year"] == {
        "year": 2023,
        "visitors": 4283,
        "daily_visitors": None,
        "sessions": 7907,
        "page_views": 18334,
        "bounce_rate": None,
        "average_duration_seconds": None,
        "downloads": 0,
        "unique_downloads": 0,
    }
    assert data["pages"] == [
        {"site": "localhost", "path": "/", "page_views": 3, "visitors": 2},
        {"site": "localhost", "path": "/les-crpv/", "page_views": 3, "visitors": 2},
        {"site": "localhost", "path": "/le-reseau/", "page_views": 2, "visitors": 1},
    ]
    out = StringIO()
    call_command(
        "stats_report", "--site", "reseau", "--year", "2025", "--format", "csv", stdout=out
    )
    assert "page_views,9,18334" in out.getvalue().replace("\r", "")
    out = StringIO()
    call_command("stats_report", "--site", "irev.localhost", "--year", "2025", stdout=out)
    assert "page_views" in out.getvalue() and "daily_visitors" in out.getvalue()


def test_stats_report_refuses_an_unknown_site(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown site"):
        call_command("stats_report", "--site", "nowhere.example", "--year", "2025")


def test_the_database_holds_no_address_or_agent(replayed, document):
    roll_up(until=NEXT)
    from django.apps import apps

    for model in apps.get_app_config("stats").get_models():
        for row in model.objects.values_list():
            text = " ".join(map(str, row))
            for secret in (
                "1.1.1.1",
                "2.2.2.2",
                "3.3.3.3",
                "4.4.4.4",
                "Firefox",
                "Safari",
                "q=crpv",
            ):
                assert secret not in text, (model.__name__, row)


def test_demo_statistics_read_the_same_from_rollups_and_from_raw_events(network):
    from django.utils import timezone

    from stats.models import DocumentDay, PageMonth, ReferrerDay, ReplayDay

    call_command("stats_demo", "--days", "3", stdout=StringIO())
    sites = list(network.national_site._meta.model.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    start = today - timedelta(days=3)
    rolled = build(sites, start, today)
    assert SiteDay.objects.filter(day__lt=today).exists()
    assert rolled.totals.page_views == Event.objects.filter(kind="v").count() > 0
    # The demo's replay plays (events with a replay address) are rolled up too.
    assert rolled.totals.replay_plays == Event.objects.filter(kind="r").count() > 0
    for model in (SiteDay, PageDay, PageMonth, DocumentDay, ReferrerDay, ReplayDay):
        model.objects.all().delete()
    raw = build(sites, start, today)
    assert raw.totals == rolled.totals
    assert dict(raw.pages) == dict(rolled.pages)
    assert dict(raw.referrers) == dict(rolled.referrers)
    assert dict(raw.replays) == dict(rolled.replays)
