"""The public participant count, fed from check-in (docs/registrations.md, "Registrants"):
once people of a session are checked in on the portal, its page, the open API and the
yearly report show the people marked present, read when shown and never written on the
page (a draft saved before the check-in cannot publish an older figure); an event
without registrations shows the figure its editor typed. Saving check-in renews the
cached pages, as a session filling up does; a warm page costs no more query."""

import json
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from agenda.models import EventPage
from stats.sections import events_section

from .factories import EventPageFactory, OpeningFactory, RegistrantFactory, SeatFactory
from .registrations_helpers import IREV, irev_agenda, open_cycle, open_event
from .test_cache_pages import on_redis as on_redis  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def participants_shown(html):
    """The figure in the page's facts ("Participants : N"), None when not shown."""
    found = re.search(r"<dt>Participants</dt><dd>(\d+)</dd>", html)
    return int(found.group(1)) if found else None


def seats(opening, n):
    """`n` people registered to the opening's event, each with a confirmed seat."""
    return [SeatFactory(registrant=RegistrantFactory(opening=opening)) for _ in range(n)]


def check_in(network, opening, marks):
    """The organiser's "Enregistrer les présences" in the admin: {seat: "present"/"absent"}."""
    editor = network.client_for("editeur-irev", host=IREV)
    response = editor.post(
        reverse("registrations_registrants", args=[opening.pk]),
        {f"attended-{seat.pk}": mark for seat, mark in marks.items()},
    )
    assert response.status_code == 302


def api_count(event):
    client = Client(HTTP_HOST="localhost")
    detail = client.get(f"/api/v2/events/{event.pk}/").json()["participants_count"]
    listed = client.get("/api/v2/events/", {"id": event.pk, "fields": "participants_count"})
    assert [item["participants_count"] for item in listed.json()["items"]] == [detail]
    return detail


def test_an_anonymous_visitor_sees_the_people_checked_in_at_once(network, on_redis):  # noqa: F811
    event, opening = open_event(irev_agenda(network), capacity=10)
    first, second, third = seats(opening, 3)
    visitor = Client(HTTP_HOST=IREV)
    before = visitor.get(event.url)
    assert participants_shown(before.content.decode()) is None  # nobody checked in yet
    assert visitor.get(event.url)["X-Cache"] == "HIT"  # the cached page, until check-in

    check_in(network, opening, {first: "present", second: "present", third: "absent"})

    after = visitor.get(event.url)
    assert after["X-Cache"] == "MISS"  # renewed by the check-in
    assert participants_shown(after.content.decode()) == 2
    assert visitor.get(event.url)["X-Cache"] == "HIT"
    # Read when shown, never written on the page.
    assert EventPage.objects.get(pk=event.pk).participants_count is None
    assert api_count(event) == 2
    # One more marked present: the page follows.
    check_in(network, opening, {third: "present"})
    assert participants_shown(visitor.get(event.url).content.decode()) == 3


def test_a_draft_saved_before_check_in_does_not_lose_the_count_once_published(network):
    event, opening = open_event(irev_agenda(network), capacity=10)
    event.participants_count = 40  # the editor's estimate, published
    event.save_revision().publish()
    present = seats(opening, 2)
    # The editor prepares the follow-up (the replay) before the day.
    draft = EventPage.objects.get(pk=event.pk)
    draft.replay_url = "https://video.exemple.fr/replay-atelier"
    revision = draft.save_revision()

    check_in(network, opening, dict.fromkeys(present, "present"))
    revision.publish()  # the draft, holding the figure typed before the check-in

    page = Client(HTTP_HOST=IREV).get(event.url).content.decode()
    assert "replay/" in page  # the draft is what is live
    assert participants_shown(page) == 2
    assert api_count(event) == 2


def test_without_check_in_the_page_shows_the_figure_typed(network):
    agenda = irev_agenda(network)
    elsewhere = EventPageFactory(parent=agenda, participants_count=42)  # registered elsewhere
    waiting, opening = open_event(agenda, capacity=10)
    waiting.participants_count = 25
    waiting.save_revision().publish()
    seats(opening, 3)  # registered, nobody checked in yet
    visitor = Client(HTTP_HOST=IREV)
    for event, typed in ((elsewhere, 42), (waiting, 25)):
        html = visitor.get(event.url).content.decode()
        assert participants_shown(html) == typed
        assert api_count(event) == typed
        # The structured data names no count (schema.org has no property for it) and
        # holds nothing that would contradict the page.
        json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert "participant" not in json.dumps(json.loads(json_ld.group(1))).lower()
    no_figure = EventPageFactory(parent=agenda)
    assert participants_shown(visitor.get(no_figure.url).content.decode()) is None
    assert api_count(no_figure) is None


def test_each_session_of_a_cycle_shows_its_own_count_and_the_cycle_none(network):
    series, sessions, opening = open_cycle(irev_agenda(network), sessions=2, capacity=10)
    held, later = sessions
    later.participants_count = 7
    later.save_revision().publish()
    people = [RegistrantFactory(opening=opening) for _ in range(3)]
    at_held = [SeatFactory(registrant=p, event=held) for p in people]
    for person in people:
        SeatFactory(registrant=person, event=later)

    check_in(network, opening, {at_held[0]: "present", at_held[1]: "absent"})

    visitor = Client(HTTP_HOST=IREV)
    assert participants_shown(visitor.get(held.url).content.decode()) == 1
    assert participants_shown(visitor.get(later.url).content.decode()) == 7  # not checked
    assert participants_shown(visitor.get(series.url).content.decode()) is None
    assert api_count(held) == 1 and api_count(later) == 7


def test_a_warm_event_page_costs_no_more_query_after_check_in(network):
    event, opening = open_event(irev_agenda(network), capacity=10)
    present = seats(opening, 2)
    visitor = Client(HTTP_HOST=IREV)

    def warm_queries():
        visitor.get(event.url)  # fills the fragment caches
        with CaptureQueriesContext(connection) as captured:
            html = visitor.get(event.url).content.decode()
        return len(captured), html

    before, _html = warm_queries()
    check_in(network, opening, dict.fromkeys(present, "present"))
    after, html = warm_queries()
    assert participants_shown(html) == 2
    assert after == before


def test_the_yearly_report_counts_what_the_pages_show(network):
    irev = network.centres["irev"]
    site = irev.home_page.get_site()
    today = timezone.localdate()

    def participants():
        section = events_section([site], today.year)
        figure = next(f for f in section["figures"] if f["key"] == "participants")
        return figure["by_site"].get(site.pk, 0)

    before = participants()
    agenda = irev_agenda(network)
    EventPageFactory(parent=agenda, start_date=today, participants_count=50)
    held = EventPageFactory(parent=agenda, start_date=today, participants_count=12)
    opening = OpeningFactory(page=held, capacity=10)
    first, second, third = seats(opening, 3)
    assert participants() == before + 50 + 12  # nobody checked in: the figures typed
    check_in(network, opening, {first: "present", second: "present", third: "absent"})
    assert participants() == before + 50 + 2


def test_check_in_with_malformed_seat_numbers_saves_the_rest(network):
    """A hand-edited or robot POST: a superscript digit ("²" passes str.isdigit but not
    int()) and a number beyond the database's integer are ignored, not a 500."""
    event, opening = open_event(irev_agenda(network), capacity=10)
    (seat,) = seats(opening, 1)
    editor = network.client_for("editeur-irev", host=IREV)
    response = editor.post(
        reverse("registrations_registrants", args=[opening.pk]),
        {
            "attended-²": "present",
            f"attended-{'9' * 30}": "present",
            f"attended-{seat.pk}": "present",
        },
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.attended is True
