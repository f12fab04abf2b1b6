"""Calendars (iCalendar, RFC 5545) and news feeds (RSS, Atom) of every agenda and event,
filtered like the listings, and advertised in the pages' heads."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

from django.test import Client
from django.utils import timezone

import pytest
from icalendar import Calendar

from agenda.feeds import PAST_DAYS_IN_CALENDAR
from agenda.models import Attendance, EventPage

from .test_agenda_helpers import agenda_of, fetch, make_event

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def calendar(host, path):
    response = Client(HTTP_HOST=host).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(cal):
    return list(cal.walk("VEVENT"))


def by_url(cal):
    return {str(event["URL"]): event for event in vevents(cal)}


def in_feed(events):
    """What an unfiltered feed carries: the upcoming events and the recent past."""
    since = timezone.now() - timedelta(days=PAST_DAYS_IN_CALENDAR)
    return {event.full_url for event in events if event.ends_at >= since}


def live():
    return EventPage.objects.live().public().prefetch_related("organisers")


# --- iCalendar ------------------------------------------------------------------------


def test_the_national_calendar_carries_the_network_upcoming_and_recent_events(network):
    cal = calendar("localhost", "/agenda/ical/")
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    assert set(by_url(cal)) == in_feed(live())
    old = EventPage.objects.get(
        slug="femmes-des-quartiers-populaires-travail-invisible-et-freins-a-lacces-a-lemploi"
    )
    assert old.full_url not in by_url(cal)  # 2023: long past


def test_uids_are_stable_and_unique(network):
    first = [str(e["UID"]) for e in vevents(calendar("localhost", "/agenda/ical/"))]
    second = [str(e["UID"]) for e in vevents(calendar("localhost", "/agenda/ical/"))]
    assert first == second
    assert len(set(first)) == len(first) > 20
    assert all(re.fullmatch(r"[0-9a-f-]{36}@localhost", uid) for uid in first)
    # The same event has the same UID in every calendar it appears in.
    crcsur = {
        str(e["URL"]): str(e["UID"]) for e in vevents(calendar("crcsur.localhost", "/agenda/ical/"))
    }
    national = {
        str(e["URL"]): str(e["UID"]) for e in vevents(calendar("localhost", "/agenda/ical/"))
    }
    assert crcsur and all(national[url] == uid for url, uid in crcsur.items())


def test_an_overseas_event_keeps_its_time_zone(network):
    crcsur = network.centres["crcsur"]
    event = make_event(
        agenda_of(crcsur.home_page),
        "Webinaire austral",
        organisers=[crcsur],
        attendance=Attendance.ONLINE,
        start_date=date(2031, 1, 15),
        start_time=time(14),
        end_time=time(15, 30),
    )
    for cal in (
        calendar("crcsur.localhost", "/agenda/ical/?month=2031-01"),
        calendar("crcsur.localhost", f"{event.url_path[len('/crcsur') :]}ical/"),
    ):
        [item] = [e for e in vevents(cal) if str(e["UID"]).startswith(str(event.translation_key))]
        start, end = item["DTSTART"], item["DTEND"]
        assert start.params["TZID"] == end.params["TZID"] == "Indian/Reunion"
        assert start.dt == datetime(2031, 1, 15, 14, 0, tzinfo=ZoneInfo("Indian/Reunion"))
        assert start.dt.replace(tzinfo=None) == datetime(2031, 1, 15, 14, 0)
        assert end.dt.replace(tzinfo=None) == datetime(2031, 1, 15, 15, 30)
        assert end.dt == event.ends_at
        zones = [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")]
        assert "Indian/Reunion" in zones and len(zones) == len(set(zones))
        raw = cal.to_ical().decode()
        assert "DTSTART;TZID=Indian/Reunion:20310115T140000" in raw


def test_paris_events_carry_a_paris_time_zone_with_summer_time(network):
    oriv = network.centres["oriv"]
    event = make_event(
        agenda_of(oriv.home_page),
        "Atelier d'été",
        organisers=[oriv],
        start_date=date(2031, 7, 1),
        start_time=time(9),
        end_time=time(12),
    )
    cal = calendar("oriv.localhost", f"{event.url_path[len('/oriv') :]}ical/")
    [item] = vevents(cal)
    assert item["DTSTART"].params["TZID"] == "Europe/Paris"
    assert item["DTSTART"].dt == datetime(2031, 7, 1, 9, tzinfo=ZoneInfo("Europe/Paris"))
    [zone] = cal.walk("VTIMEZONE")
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert str(item["SUMMARY"]) == "Atelier d'été"
    assert str(item["LOCATION"]) == "Lyon"


def test_whole_day_events_are_dates(network):
    event = make_event(
        agenda_of(network.national_home),
        "Université d'automne",
        start_date=date(2031, 10, 6),
        end_date=date(2031, 10, 8),
    )
    cal = calendar("localhost", "/agenda/ical/?month=2031-10")
    item = by_url(cal)[event.full_url]
    assert item["DTSTART"].params["VALUE"] == "DATE"
    assert item["DTSTART"].dt == date(2031, 10, 6)
    assert item["DTEND"].dt == date(2031, 10, 9)  # exclusive: the day after the last day
    assert "DTSTART;VALUE=DATE:20311006" in cal.to_ical().decode()


def test_a_filtered_calendar_holds_exactly_the_filtered_events(network):
    crcsur = network.centres["crcsur"]
    make_event(
        agenda_of(crcsur.home_page),
        "Visio de décembre",
        organisers=[crcsur],
        attendance=Attendance.ONLINE,
        start_date=timezone.localdate() + timedelta(days=4),
    )
    make_event(
        agenda_of(crcsur.home_page),
        "Atelier sur place",
        organisers=[crcsur],
        start_date=timezone.localdate() + timedelta(days=4),
    )
    expected = in_feed(
        e
        for e in live()
        if "crcsur" in {c.slug for c in e.organisers.all()} and e.attendance == "online"
    )
    assert len(expected) >= 2
    cal = calendar("localhost", "/agenda/ical/?centre=crcsur&mode=online")
    assert set(by_url(cal)) == expected
    past = calendar("localhost", "/agenda/ical/?centre=crcsur&when=passes")
    now = timezone.now()
    assert set(by_url(past)) == {
        e.full_url
        for e in live()
        if e.ends_at < now and "crcsur" in {c.slug for c in e.organisers.all()}
    }


def test_the_event_calendar_is_one_event(network):
    event = EventPage.objects.descendant_of(network.centres["oriv"].home_page).get(
        attendance="online"
    )
    response = fetch(event.full_url + "ical/")
    assert response["Content-Disposition"] == f'inline; filename="{event.slug}.ics"'
    [item] = vevents(Calendar.from_ical(response.content))
    assert str(item["UID"]) == f"{event.translation_key}@localhost"
    assert str(item["URL"]) == event.full_url
    assert str(item["LOCATION"]) == event.online_url
    assert "Webinaire" in [str(c) for c in item["CATEGORIES"].cats]


# --- RSS and Atom ---------------------------------------------------------------------


def test_rss_and_atom_parse_with_one_item_per_event(network):
    expected = in_feed(
        e
        for e in live()
        if e.path.startswith(network.centres["irev"].home_page.path)
        or "irev" in {c.slug for c in e.organisers.all()}
    )
    rss = Client(HTTP_HOST="irev.localhost").get("/agenda/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(rss.content).find("channel")
    items = channel.findall("item")
    assert {item.findtext("link") for item in items} == expected
    guids = [item.findtext("guid") for item in items]
    assert len(set(guids)) == len(items)

    atom = Client(HTTP_HOST="irev.localhost").get("/agenda/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert {e.find(f"{ATOM}link").get("href") for e in entries} == expected
    assert {e.findtext(f"{ATOM}id") for e in entries} == set(guids)


def test_a_filtered_rss_feed_holds_the_filtered_events(network):
    rss = Client(HTTP_HOST="localhost").get("/agenda/rss/", {"format": "webinaire"})
    links = {item.findtext("link") for item in ET.fromstring(rss.content).iter("item")}
    expected = in_feed(
        e
        for e in live().select_related("event_format")
        if e.event_format and e.event_format.slug == "webinaire"
    )
    assert links == expected and expected


def test_editor_text_is_escaped_in_feeds(network):
    make_event(
        agenda_of(network.national_home),
        "Atelier <b>gras</b> & </title>",
        slug="atelier-gras",
        summary="<script>alert(1)</script>",
        start_date=timezone.localdate() + timedelta(days=2),
    )
    rss = Client(HTTP_HOST="localhost").get("/agenda/rss/")
    titles = [item.findtext("title") for item in ET.fromstring(rss.content).iter("item")]
    assert "Atelier <b>gras</b> & </title>" in titles
    atom = Client(HTTP_HOST="localhost").get("/agenda/atom/")
    ET.fromstring(atom.content)
    cal = calendar("localhost", "/agenda/ical/")
    assert "Atelier <b>gras</b> & </title>" in {str(e["SUMMARY"]) for e in vevents(cal)}


# --- advertised in the pages ----------------------------------------------------------


def alternates(html):
    head = html.split("</head>")[0]
    return {
        m.group(1): unescape(m.group(2))
        for m in re.finditer(r'<link rel="alternate" type="([^"]+)"[^>]*href="([^"]+)"', head)
    }


def test_the_agenda_head_advertises_its_feeds_with_the_current_filters(network):
    response = Client(HTTP_HOST="localhost").get(
        "/agenda/", {"centre": "crcsur", "mode": "online", "page": 1}
    )
    links = alternates(response.content.decode())
    assert set(links) == {"text/calendar", "application/rss+xml", "application/atom+xml"}
    assert links["text/calendar"] == "/agenda/ical/?centre=crcsur&mode=online"
    assert links["application/rss+xml"] == "/agenda/rss/?centre=crcsur&mode=online"
    assert links["application/atom+xml"] == "/agenda/atom/?centre=crcsur&mode=online"
    listed = {e.full_url for e in response.context["events"]}
    assert listed and listed <= set(by_url(calendar("localhost", links["text/calendar"])))


def test_unfiltered_agenda_advertises_plain_feeds(network):
    links = alternates(Client(HTTP_HOST="oriv.localhost").get("/agenda/").content.decode())
    assert links["text/calendar"] == "/agenda/ical/"


def test_the_event_head_advertises_its_calendar(network):
    event = EventPage.objects.descendant_of(network.centres["oriv"].home_page).first()
    links = alternates(fetch(event.full_url).content.decode())
    assert links["text/calendar"] == event.url_path[len("/oriv") :] + "ical/"
