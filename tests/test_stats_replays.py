"""Replay plays (issue #20, "le replay a été vu 189 fois"): an event page's `replay/`
route counts one play in the audience statistics, with the filters of downloads (bots,
DNT/GPC, the visitor's opt-out), then redirects to the stored replay address and to
nothing else; the play reaches the rollups, the admin report, a page's own figures and
the yearly report's events section."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone

import pytest

import stats.collect
from agenda.models import EventPage
from stats.figures import summarise
from stats.models import Event, ReplayDay, SiteDay
from stats.privacy import forget_cached_salts
from stats.report import build
from stats.rollup import roll_up
from stats.yearly import yearly_report

from .test_agenda_helpers import agenda_of, make_event

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PARIS = ZoneInfo("Europe/Paris")
# A replay address with what a naive redirect could mangle: a query string, an
# ampersand, a fragment, non-ASCII text encoded.
REPLAY = "https://video.example.org/watch?v=abc-123&t=10s&titre=%C3%A9t%C3%A9#chapitre-2"


@pytest.fixture(autouse=True)
def fresh_salts():
    forget_cached_salts()
    yield
    forget_cached_salts()


@pytest.fixture
def event(network):
    irev = network.centres["irev"]
    return make_event(
        agenda_of(irev.home_page),
        "Webinaire santé mentale",
        organisers=[irev],
        start_date=date(2024, 3, 14),
        replay_url=REPLAY,
    )


def play(event, query="", host="irev.localhost", method="get", **headers):
    client = Client()
    return getattr(client, method)(
        path_of(event) + "replay/" + query,
        **{"HTTP_HOST": host, "HTTP_USER_AGENT": BROWSER, **headers},
    )


def path_of(page) -> str:
    """The page's path on its own site."""
    return page.get_url_parts()[2]


def irev_site(network):
    return network.centres["irev"].home_page.get_site()


# --- the redirect -----------------------------------------------------------------------


def test_a_play_redirects_to_exactly_the_stored_address_and_is_counted_once(network, event):
    response = play(event, HTTP_REFERER="https://www.qwant.com/?q=replay")
    assert response.status_code == 302
    assert response["Location"] == REPLAY
    # Every click reaches the server: neither a browser nor a CDN keeps the redirect.
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies
    rows = list(Event.objects.values_list("kind", "site_id", "page_id", "path", "referrer_host"))
    assert rows == [
        ("r", irev_site(network).pk, event.pk, path_of(event) + "replay/", "www.qwant.com")
    ]
    # Once per request: a second click is a second play.
    assert play(event).status_code == 302
    assert Event.objects.filter(kind=Event.REPLAY, page_id=event.pk).count() == 2


def test_a_play_stores_no_address_agent_or_query(network, event):
    play(event, "?utm_source=lettre&secret=1", REMOTE_ADDR="203.0.113.9")
    stored = " ".join(str(value) for value in Event.objects.values_list().get())
    assert "203.0.113" not in stored and "Firefox" not in stored and "secret" not in stored


@pytest.mark.parametrize(
    "headers, query, method",
    [
        ({"HTTP_USER_AGENT": "Googlebot/2.1 (+http://www.google.com/bot.html)"}, "", "get"),
        ({"HTTP_USER_AGENT": ""}, "", "get"),  # no agent: a bot
        ({"HTTP_DNT": "1"}, "", "get"),
        ({"HTTP_SEC_GPC": "1"}, "", "get"),
        ({}, "?stats=non", "get"),  # the visitor's opt-out, set on the link by beacon.js
        ({}, "", "head"),  # a link checker's HEAD is not a play
    ],
)
def test_bots_and_refusals_are_redirected_but_not_counted(event, headers, query, method):
    response = play(event, query, method=method, **headers)
    assert response.status_code == 302 and response["Location"] == REPLAY
    assert not Event.objects.exists()


def test_an_event_without_replay_is_a_404_and_counts_nothing(network, event):
    EventPage.objects.filter(pk=event.pk).update(replay_url="")
    assert play(event).status_code == 404
    assert not Event.objects.exists()


def test_an_unpublished_event_has_no_replay_route(network, event):
    event.unpublish()
    assert play(event).status_code == 404
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "suffix",
    [
        "?next=https://evil.example/",
        "?url=https://evil.example/&replay_url=https://evil.example/",
    ],
)
def test_the_request_never_chooses_the_target(event, suffix):
    response = play(event, suffix)
    assert response.status_code == 302 and response["Location"] == REPLAY


@pytest.mark.parametrize("tail", ["https://evil.example/", "evil.example/", "x/"])
def test_nothing_is_routed_under_the_replay_address(event, tail):
    response = Client().get(
        path_of(event) + "replay/" + tail, HTTP_HOST="irev.localhost", HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 404
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "stored",
    ["javascript:alert(1)", "//evil.example/video", "/relative/path", "ftp://files.example/v"],
)
def test_a_stored_address_that_is_not_a_web_address_is_never_followed(event, stored):
    # The admin's URL field refuses these; a row written another way must not redirect.
    EventPage.objects.filter(pk=event.pk).update(replay_url=stored)
    assert play(event).status_code == 404
    assert not Event.objects.exists()


def test_the_event_page_links_to_the_replay_through_the_portal(network, event):
    html = Client().get(path_of(event), HTTP_HOST="irev.localhost").content.decode()
    assert f'href="{path_of(event)}replay/" data-stats-replay' in html
    assert "video.example.org" not in html


# --- the figures ------------------------------------------------------------------------


def test_a_replay_keeps_its_session_from_bouncing_and_counts_per_session():
    when = datetime(2025, 3, 28, 10, 0, tzinfo=PARIS)
    day = when.date()

    def row(visitor, minutes, kind, page_id, path):
        return (1, day, visitor, when + timedelta(minutes=minutes), kind, page_id, path, None, "")

    rows = [
        # A views the event then plays its replay twice in one session (not a bounce).
        (*row("a", 0, "v", 7, "/agenda/e/"), False, False),
        (*row("a", 1, "r", 7, "/agenda/e/replay/"), False, False),
        (*row("a", 2, "r", 7, "/agenda/e/replay/"), False, False),
        # B views a page only: a bounce.
        (*row("b", 0, "v", 3, "/"), False, False),
        # C comes back after an hour to play it again: a second session, one more unique.
        (*row("c", 0, "r", 7, "/agenda/e/replay/"), False, False),
        (*row("c", 61, "r", 7, "/agenda/e/replay/"), False, False),
    ]
    figures = summarise(rows)[(1, day)]
    totals = figures.totals
    assert (totals.page_views, totals.replay_plays, totals.sessions, totals.bounces) == (2, 4, 4, 1)
    assert (figures.replays[7].plays, figures.replays[7].unique_plays) == (4, 3)
    assert "/agenda/e/replay/" not in figures.pages  # a play is not a page view


def test_plays_reach_the_rollups_the_admin_and_the_yearly_report(network, event):
    site = irev_site(network)
    yesterday = timezone.localdate() - timedelta(days=1)
    for hour, address in ((10, "192.0.2.1"), (10, "192.0.2.1"), (15, "192.0.2.2")):
        when = datetime(yesterday.year, yesterday.month, yesterday.day, hour, tzinfo=PARIS)
        with mock.patch.object(stats.collect, "current_time", return_value=when):
            assert play(event, REMOTE_ADDR=address).status_code == 302
    forget_cached_salts()
    roll_up()
    assert SiteDay.objects.get(site=site, day=yesterday).replay_plays == 3
    assert list(ReplayDay.objects.values_list("site_id", "day", "page_id", "title", "plays")) == [
        (site.pk, yesterday, event.pk, "Webinaire santé mentale", 3)
    ]
    assert ReplayDay.objects.get().unique_plays == 2
    # One more play today, not rolled up yet: the report adds the raw events.
    assert play(event, REMOTE_ADDR="192.0.2.3").status_code == 302
    report = build([site.pk], yesterday, timezone.localdate())
    assert report.totals.replay_plays == 4
    assert [(pk, r.title, r.plays, r.unique_plays) for pk, r in report.top_replays()] == [
        (event.pk, "Webinaire santé mentale", 4, 3)
    ]
    # Another site's report does not see them; the network's adds them up.
    oriv = network.centres["oriv"].home_page.get_site()
    assert build([oriv.pk], yesterday, timezone.localdate()).totals.replay_plays == 0

    # The admin's report and the event's own figures (IREV's editor).
    client = network.client_for("editeur-irev")
    html = client.get(
        "/admin/statistiques/",
        {"site": site.pk, "start": yesterday.isoformat(), "end": timezone.localdate().isoformat()},
    ).content.decode()
    assert "Replays les plus vus" in html
    assert (
        f'<a href="/admin/statistiques/page/{event.pk}/">Webinaire santé mentale</a></td>'
        "<td>4</td><td>3</td>" in html
    )
    page = client.get(f"/admin/statistiques/page/{event.pk}/")
    assert page.context["replay_plays"]["month"] == 4
    home = client.get(f"/admin/statistiques/page/{site.root_page_id}/")
    assert home.context["replay_plays"] is None  # not an event: no replay line

    # The yearly report's events section: plays of the year, whatever the event's date.
    for year in {yesterday.year, timezone.localdate().year}:
        data = yearly_report([site.pk], year)
        section = next(s for s in data["sections"] if s["key"] == "events")
        figures = {f["key"]: f["value"] for f in section["figures"]}
        tables = {t["key"]: t["rows"] for t in section["tables"]}
        expected = (3 if year == yesterday.year else 0) + (
            1 if year == timezone.localdate().year else 0
        )
        assert figures["replay_plays"] == expected
        assert tables["replays"][0][:2] == ["Webinaire santé mentale", expected]
