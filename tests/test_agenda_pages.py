"""Event pages: `/evenement/<slug>` on the portal, series and their sessions, schema.org
JSON-LD, and queries that do not grow with what an event holds."""

import json
import re
from datetime import date, time, timedelta

from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.documents.models import Document

import pytest

from agenda.models import Attendance, EventDocument, EventPage, EventSeriesPage, EventSpeaker

from .test_agenda_helpers import agenda_of, fetch, make_event, make_series

pytestmark = pytest.mark.django_db

NETWORK_SLUG = "femmes-des-quartiers-populaires-travail-invisible-et-freins-a-lacces-a-lemploi"


def canonical(response):
    return re.search(r'<link rel="canonical" href="([^"]+)">', response.content.decode()).group(1)


# --- /evenement/<slug> ----------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/evenement/{NETWORK_SLUG}", f"/evenement/{NETWORK_SLUG}/"])
def test_the_historical_address_serves_a_network_event(network, path):
    event = EventPage.objects.get(slug=NETWORK_SLUG)
    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200
    assert response.context["page"].pk == event.pk
    # A working group's event lives in the group's space on the national site (this one
    # in the group's 2023 cycle of four webinars, a series).
    cycle = "femmes-des-quartiers-populaires-cycle-de-webinaires-2023"
    assert (
        canonical(response)
        == event.full_url
        == (f"http://localhost/groupes-de-travail/egalite-femmes-hommes/{cycle}/{NETWORK_SLUG}/")
    )
    assert event.title.replace("'", "&#x27;") in response.content.decode()


def test_the_historical_address_reaches_a_centre_event_with_its_canonical_page(network):
    crcsur = network.centres["crcsur"]
    event = make_event(agenda_of(crcsur.home_page), "Forum réunionnais", organisers=[crcsur])
    response = Client(HTTP_HOST="localhost").get("/evenement/forum-reunionnais")
    assert response.status_code == 200
    assert canonical(response) == "http://crcsur.localhost/agenda/forum-reunionnais/"
    assert canonical(response) == event.full_url


def test_a_network_event_wins_over_a_centre_event_of_the_same_slug(network):
    oriv = network.centres["oriv"]
    make_event(
        agenda_of(oriv.home_page), "Homonyme", organisers=[oriv], start_date=date(2032, 1, 1)
    )
    national = make_event(agenda_of(network.national_home), "Homonyme", start_date=date(2030, 1, 1))
    response = Client(HTTP_HOST="localhost").get("/evenement/homonyme")
    assert response.context["page"].pk == national.pk


@pytest.mark.parametrize(
    "host, slug",
    [
        ("crcsur.localhost", NETWORK_SLUG),  # the address belongs to the national portal
        ("localhost", "aucun-evenement-de-ce-nom"),
        ("localhost", "brouillon-secret"),
    ],
)
def test_the_historical_address_is_not_found_elsewhere(network, host, slug):
    make_event(agenda_of(network.national_home), "Brouillon secret", publish=False)
    response = Client(HTTP_HOST=host).get(f"/evenement/{slug}")
    assert response.status_code == 404


# --- series ---------------------------------------------------------------------------


def sessions_fixture(network):
    irev = network.centres["irev"]
    series = make_series(agenda_of(irev.home_page), "Cycle mobilité")
    # Created out of order: the page sorts them by date.
    third = make_event(series, "Séance 3", organisers=[irev], start_date=date(2031, 5, 20))
    first = make_event(series, "Séance 1", organisers=[irev], start_date=date(2031, 3, 20))
    second = make_event(series, "Séance 2", organisers=[irev], start_date=date(2031, 4, 20))
    make_event(
        series,
        "Séance en préparation",
        organisers=[irev],
        publish=False,
        start_date=date(2031, 6, 20),
    )
    return series, [first, second, third]


def test_the_series_page_lists_its_sessions_in_order(network):
    series, sessions = sessions_fixture(network)
    html = fetch(series.full_url).content.decode()
    listed = re.findall(r'<li><a href="([^"]+)">(Séance[^<]*)</a>', html)
    assert [title for url, title in listed] == ["Séance 1", "Séance 2", "Séance 3"]
    assert [url for url, title in listed] == [s.url_path[len("/irev") :] for s in sessions]
    assert "3 séances" in html and "en préparation" not in html


def test_each_session_links_to_its_siblings(network):
    series, sessions = sessions_fixture(network)
    for current in sessions:
        html = fetch(current.full_url).content.decode()
        nav = re.search(r'<nav aria-labelledby="cycle-title".*?</nav>', html, re.S).group(0)
        assert "Cycle mobilité" in nav
        assert nav.count('aria-current="page"') == 1
        assert f'<span aria-current="page">{current.title}</span>' in nav
        for other in sessions:
            link = f'<a href="{other.url_path[len("/irev") :]}">{other.title}</a>'
            assert (link in nav) == (other.pk != current.pk)
        assert nav.index("Séance 1") < nav.index("Séance 2") < nav.index("Séance 3")


def test_an_event_outside_a_series_has_no_series_navigation(network):
    event = make_event(agenda_of(network.national_home), "Événement seul")
    assert "cycle-title" not in fetch(event.full_url).content.decode()


def test_the_seeded_irev_series_holds_its_session(network):
    series = EventSeriesPage.objects.get(slug="quartiers-en-transition")
    assert [s.title for s in series.sessions()][0].startswith("Quartiers en transition n°4")


# --- JSON-LD --------------------------------------------------------------------------


def json_ld(event):
    html = fetch(event.full_url).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


MODES = {
    Attendance.IN_PERSON: ("https://schema.org/OfflineEventAttendanceMode", ["Place"]),
    Attendance.ONLINE: ("https://schema.org/OnlineEventAttendanceMode", ["VirtualLocation"]),
    Attendance.HYBRID: (
        "https://schema.org/MixedEventAttendanceMode",
        ["Place", "VirtualLocation"],
    ),
}


@pytest.mark.parametrize("attendance", MODES)
def test_event_pages_describe_the_event_for_search_engines(network, attendance):
    crcsur, oriv = network.centres["crcsur"], network.centres["oriv"]
    event = make_event(
        agenda_of(crcsur.home_page),
        f"Rencontre {attendance}",
        organisers=[crcsur, oriv],
        attendance=attendance,
        start_date=date(2031, 1, 15),
        start_time=time(14),
        end_time=time(15, 30),
        summary="Un temps d'échange.",
        venue="Salle",
        city="Saint-Denis",
    )
    data = json_ld(event)
    mode, location_types = MODES[attendance]
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == event.title and data["url"] == event.full_url
    assert data["eventAttendanceMode"] == mode
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"] == "2031-01-15T14:00:00+04:00"
    assert data["endDate"] == "2031-01-15T15:30:00+04:00"
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert [place["@type"] for place in locations] == location_types
    if "Place" in location_types:
        assert locations[0]["name"] == "Salle" and "Saint-Denis" in locations[0]["address"]
    if "VirtualLocation" in location_types:
        assert locations[-1]["url"] == event.online_url
    assert [o["name"] for o in data["organizer"]] == [crcsur.long_name, oriv.long_name]
    assert all(o["@type"] == "Organization" and None not in o.values() for o in data["organizer"])


def test_whole_day_events_give_dates_in_json_ld(network):
    event = make_event(
        agenda_of(network.national_home),
        "Trois jours",
        start_date=date(2031, 3, 10),
        end_date=date(2031, 3, 12),
    )
    data = json_ld(event)
    assert (data["startDate"], data["endDate"]) == ("2031-03-10", "2031-03-12")


def test_editor_text_cannot_break_out_of_the_json_ld_script(network):
    title = 'Atelier </script><script>alert("x")</script> & <!-- fin'
    event = make_event(
        agenda_of(network.national_home),
        title,
        slug="atelier-piege",
        summary="</SCRIPT><img src=x onerror=alert(1)>",
    )
    html = fetch(event.full_url).content.decode()
    assert '<script>alert("x")' not in html and "<img src=x" not in html
    data = json_ld(event)
    assert data["name"] == title
    assert data["description"] == event.summary


# --- queries --------------------------------------------------------------------------


def count_queries(url):
    fetch(url)
    with CaptureQueriesContext(connection) as queries:
        response = fetch(url)
    assert response.status_code == 200
    return len(queries)


def enrich(event, numbers, centres):
    """More of everything an event page shows (saved as the live page)."""
    for number in numbers:
        event.organisers.add(centres[number % len(centres)])
        event.tags.add(f"thème {number}")
        event.speakers.add(EventSpeaker(name=f"Intervenant {number}", role="Chercheuse"))
        document = Document.objects.create(
            title=f"Synthèse {number}", file=ContentFile(b"%PDF", name=f"synthese-{number}.pdf")
        )
        event.documents.add(EventDocument(document=document, kind=EventDocument.Kind.SYNTHESIS))
    event.save()


def test_event_page_queries_do_not_grow_with_sessions_organisers_and_documents(network, capsys):
    irev = network.centres["irev"]
    centres = list(network.centres.values())
    series = make_series(agenda_of(irev.home_page), "Grand cycle")
    soon = timezone.localdate() + timedelta(days=10)
    event = make_event(
        series,
        "Séance centrale",
        organisers=[irev],
        start_date=soon,
        replay_url="https://video.example.org/replay",
    )
    make_event(series, "Séance 0", organisers=[irev], start_date=soon - timedelta(days=7))
    enrich(event, [0], centres)
    pages = {
        "event page": event.full_url,
        "series page": series.full_url,
        "event calendar": event.full_url + "ical/",
        "/evenement/": "http://localhost/evenement/seance-centrale",
    }
    before = {name: count_queries(url) for name, url in pages.items()}
    for number in range(1, 31):
        make_event(
            series,
            f"Séance {number + 1}",
            organisers=[irev, centres[number % 19]],
            themes=[f"thème {number}"],
            start_date=soon + timedelta(days=7 * number),
        )
    enrich(event, range(1, 31), centres)
    after = {name: count_queries(url) for name, url in pages.items()}
    with capsys.disabled():
        print("\nSQL queries per request:", before)
    assert after == before
    html = fetch(event.full_url).content.decode()
    assert html.count("Synthèse ") == 31 and html.count("Intervenant ") == 31
