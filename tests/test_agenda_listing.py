"""`/agenda/` on the national portal and on a centre's site: scope, upcoming / past,
filters and their counts, pagination, the plain GET form, bad input, queries."""

from datetime import date, time, timedelta
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from agenda.formats import EventFormat
from agenda.models import Attendance, EventPage
from centres.models import Centre, CoOrganisation
from portal.pagination import PAGE_SIZE

from .test_agenda_helpers import agenda_of, fetch, make_event

pytestmark = pytest.mark.django_db

NATIONAL = "localhost"


def get(host, **params):
    return Client(HTTP_HOST=host).get("/agenda/", params)


def listed(host, **params):
    """Every event the listing shows, page after page, in order."""
    events, number = [], 1
    while True:
        response = get(host, **params, page=number)
        assert response.status_code == 200
        events += [event.pk for event in response.context["events"]]
        if not response.context["events"].has_next():
            return events
        number += 1


class Row:
    """What the tests know of an event, read straight from the database."""

    def __init__(self, event):
        self.pk, self.path = event.pk, event.path
        self.starts_at, self.ends_at = event.starts_at, event.ends_at
        self.centres = {c.slug for c in event.organisers.all()}
        self.territories = {c.territory for c in event.organisers.all()}
        self.themes = {tagged.tag.slug for tagged in event.tagged_items.all()}
        self.format = event.event_format.slug if event.event_format else ""
        self.mode = event.attendance


def rows(centre=None):
    events = (
        EventPage.objects.live()
        .public()
        .select_related("event_format")
        .prefetch_related("organisers", "tagged_items__tag")
    )
    result = [Row(event) for event in events]
    if centre is not None:
        # The events it co-organises: those it agreed to (centres.consent).
        agreed = set(
            CoOrganisation.objects.filter(
                centre=centre, status=CoOrganisation.Status.ACCEPTED
            ).values_list("page_id", flat=True)
        )
        result = [
            r
            for r in result
            if r.path.startswith(centre.home_page.path)
            or (centre.slug in r.centres and r.pk in agreed)
        ]
    return result


def upcoming(rows_):
    now = timezone.now()
    return [
        r.pk
        for r in sorted((r for r in rows_ if r.ends_at >= now), key=lambda r: (r.starts_at, r.pk))
    ]


def past(rows_):
    now = timezone.now()
    return [
        r.pk
        for r in sorted(
            (r for r in rows_ if r.ends_at < now), key=lambda r: (-r.starts_at.timestamp(), r.pk)
        )
    ]


# --- scope and time -------------------------------------------------------------------


def test_the_national_agenda_lists_every_upcoming_event_of_the_network_soonest_first(network):
    expected = upcoming(rows())
    assert len(expected) > PAGE_SIZE  # the seed fills more than a page
    assert listed(NATIONAL) == expected
    crcsur_events = {r.pk for r in rows(network.centres["crcsur"])}
    assert crcsur_events & set(expected)  # centres' events are part of the network's


def test_past_events_are_listed_apart_most_recent_first(network):
    expected = past(rows())
    assert expected
    shown = listed(NATIONAL, when="passes")
    assert shown == expected
    assert not set(shown) & set(listed(NATIONAL))
    response = get(NATIONAL, when="passes")
    assert "événements passés" in response.content.decode()
    # and they stay online
    for pk in (expected[0], expected[-1]):
        assert fetch(EventPage.objects.get(pk=pk).full_url).status_code == 200


def test_a_centre_agenda_lists_its_own_and_co_organised_events_once(network):
    oriv, irev = network.centres["oriv"], network.centres["irev"]
    national = agenda_of(network.national_home)
    co_organised = make_event(
        national,
        "Séminaire commun",
        organisers=[oriv, irev],
        start_date=timezone.localdate() + timedelta(days=5),
    )
    irev_only = make_event(
        agenda_of(irev.home_page),
        "Atelier IREV",
        organisers=[irev],
        start_date=timezone.localdate() + timedelta(days=5),
    )
    shown = listed("oriv.localhost")
    assert shown == upcoming(rows(oriv))
    assert shown.count(co_organised.pk) == 1
    assert irev_only.pk not in shown
    assert co_organised.pk in listed("irev.localhost")
    assert listed("oriv.localhost", when="passes") == past(rows(oriv))


def test_drafts_and_private_events_are_not_listed(network):
    agenda = agenda_of(network.national_home)
    draft = make_event(
        agenda, "Brouillon", publish=False, start_date=timezone.localdate() + timedelta(days=2)
    )
    assert draft.pk not in listed(NATIONAL)


# --- filters --------------------------------------------------------------------------

FILTERS = {
    "centre": ("crcsur", lambda r, v: v in r.centres),
    "format": ("webinaire", lambda r, v: r.format == v),
    "theme": ("sante", lambda r, v: v in r.themes),
    "territory": ("La Réunion", lambda r, v: v in r.territories),
    "mode": ("online", lambda r, v: r.mode == v),
}


@pytest.mark.parametrize("when", ["", "passes"])
@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_the_national_list(network, name, when):
    value, keep = FILTERS[name]
    if name == "theme":  # the theme of most events
        themes = [t for r in rows() for t in r.themes]
        value = max(sorted(set(themes)), key=themes.count)
    selected = [r for r in rows() if keep(r, value)]
    expected = past(selected) if when else upcoming(selected)
    params = {name: value, **({"when": when} if when else {})}
    assert listed(NATIONAL, **params) == expected
    assert expected


def test_the_month_filter_keeps_events_starting_that_month_in_local_time(network):
    agenda = agenda_of(network.national_home)
    crcsur = agenda_of(network.centres["crcsur"].home_page)
    guadeloupe = agenda_of(network.centres["crpv-guadeloupe"].home_page)
    inside = [
        make_event(agenda, "En mars", start_date=date(2031, 3, 31), start_time=time(23)),
        # 1 April in Paris already, but 31 March where it happens (and on its page).
        make_event(
            guadeloupe, "Soirée antillaise", start_date=date(2031, 3, 31), start_time=time(22)
        ),
    ]
    make_event(agenda, "Fin février", start_date=date(2031, 2, 28))  # ends at midnight
    make_event(agenda, "Début avril", start_date=date(2031, 4, 1), start_time=time(0, 30))
    make_event(crcsur, "Matin réunionnais", start_date=date(2031, 4, 1), start_time=time(1))
    assert listed(NATIONAL, month="2031-03") == [e.pk for e in inside]
    response = get(NATIONAL, month="2031-03")
    assert '<option value="2031-03" selected>mars 2031 (2)</option>' in response.content.decode()
    assert facet_of(response, "month")["2031-04"] == 2


def test_filters_combine(network):
    selected = [r for r in rows() if "crcsur" in r.centres and r.mode == "online"]
    assert listed(NATIONAL, centre="crcsur", mode="online") == upcoming(selected)
    assert upcoming(selected)


def test_an_event_with_two_organisers_of_one_territory_is_listed_once(network):
    Centre.objects.create(
        name="Second réunionnais",
        slug="second-reunion",
        long_name="Second",
        territory="La Réunion",
        time_zone="Indian/Reunion",
    )
    both = Centre.objects.filter(territory="La Réunion")
    event = make_event(
        agenda_of(network.national_home),
        "Rencontre de l'océan Indien",
        organisers=list(both),
        start_date=timezone.localdate() + timedelta(days=3),
    )
    shown = listed(NATIONAL, territory="La Réunion")
    assert shown.count(event.pk) == 1
    facet = facet_of(get(NATIONAL, territory="La Réunion"), "territory")
    assert facet["La Réunion"] == len(shown)


def facet_of(response, name):
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {option.value: option.count for option in facet.options}


@pytest.mark.parametrize(
    "host, params",
    [
        (NATIONAL, {}),
        (NATIONAL, {"when": "passes"}),
        (NATIONAL, {"mode": "online"}),
        ("crcsur.localhost", {}),
        ("irev.localhost", {"when": "passes"}),
    ],
)
def test_every_option_counts_the_events_listed_when_it_is_chosen(network, host, params):
    response = get(host, **params)
    facets = response.context["facets"]
    assert {f.name for f in facets} == {
        "centre",
        "format",
        "theme",
        "territory",
        "month",
        "mode",
        "when",
    }
    html = response.content.decode()
    checked = 0
    for facet in facets:
        for option in facet.options:
            chosen = get(host, **{**params, facet.name: option.value})
            assert chosen.context["events"].paginator.count == option.count, (
                facet.name,
                option.value,
            )
            assert f">{escape(str(option.label))} ({option.count})</option>" in html
            checked += 1
    assert checked > 5


def test_the_default_view_counts_upcoming_events_only(network):
    response = get(NATIONAL)
    when = facet_of(response, "when")
    assert when["a-venir"] == response.context["events"].paginator.count == len(upcoming(rows()))
    assert when["passes"] == len(past(rows()))
    assert sum(facet_of(response, "mode").values()) == when["a-venir"]


# --- pagination, shareable URLs, the plain form ---------------------------------------


def test_pagination_twenty_per_page_keeping_the_filters(network):
    agenda = agenda_of(network.national_home)
    soon = timezone.localdate() + timedelta(days=1)
    for number in range(25):
        make_event(agenda, f"Webinaire {number}", attendance=Attendance.ONLINE, start_date=soon)
    first = get(NATIONAL, mode="online")
    assert len(first.context["events"].object_list) == PAGE_SIZE
    html = first.content.decode()
    assert 'href="?mode=online&amp;page=2" rel="next"' in html
    total = first.context["events"].paginator.count
    assert total > 2 * PAGE_SIZE
    last = get(NATIONAL, mode="online", page=3)
    assert len(last.context["events"].object_list) == total - 2 * PAGE_SIZE
    html = last.content.decode()
    assert 'href="?mode=online&amp;page=2" rel="prev"' in html and 'rel="next"' not in html
    assert "Page 3 sur 3" in html


class FormReader(HTMLParser):
    """The filter form as a browser without JavaScript sees it."""

    def __init__(self):
        super().__init__()
        self.form, self.selects, self.current, self.buttons, self.scripts = None, {}, None, 0, 0
        self.inside = False  # within the filter form (the footer has a form of its own)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "filters" in attrs.get("class", ""):
            self.form, self.inside = attrs, True
        elif tag == "select" and self.inside:
            self.current = attrs["name"]
            self.selects[self.current] = []
        elif tag == "option" and self.current:
            self.selects[self.current].append((attrs["value"], "selected" in attrs))
        elif tag == "button" and self.inside:
            self.buttons += 1
        elif (
            tag == "script"
            and attrs.get("type") != "application/ld+json"
            and ("stats/beacon" not in attrs.get("src", ""))
        ):  # the audience beacon, not the form's
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "select":
            self.current = None
        elif tag == "form":
            self.inside = False


def read_form(response):
    reader = FormReader()
    reader.feed(response.content.decode())
    return reader


def submit(host, form, **choices):
    """What the browser requests: every select's selected value, changed by `choices`."""
    data = {}
    for name, options in form.selects.items():
        chosen = [value for value, selected in options if selected] or [options[0][0]]
        data[name] = choices.get(name, chosen[0])
    assert form.form.get("action", "") == ""  # the same address
    return Client(HTTP_HOST=host).get("/agenda/?" + urlencode(data))


def test_the_filter_form_works_without_javascript(network):
    response = get("crcsur.localhost")
    form = read_form(response)
    assert form.form["method"] == "get" and form.buttons == 1 and form.scripts == 0
    assert set(form.selects) == {"centre", "format", "theme", "territory", "month", "mode", "when"}
    filtered = submit("crcsur.localhost", form, mode="online")
    assert filtered.status_code == 200
    events = list(filtered.context["events"])
    assert events and all(event.attendance == "online" for event in events)
    # The resulting address is the one to share: the same list for anyone.
    again = Client(HTTP_HOST="crcsur.localhost").get(
        filtered.request["PATH_INFO"] + "?" + filtered.request["QUERY_STRING"]
    )
    assert [e.pk for e in again.context["events"]] == [e.pk for e in events]
    # The chosen option is selected when the form comes back.
    assert ("online", True) in read_form(filtered).selects["mode"]


def test_a_chosen_option_without_match_stays_selected(network):
    response = get(NATIONAL, centre="crcsur", month="2023-10")
    assert response.context["events"].paginator.count == 0
    assert ("crcsur", True) in read_form(response).selects["centre"]
    assert ("2023-10", True) in read_form(response).selects["month"]
    assert "Aucun événement ne correspond" in response.content.decode()


# --- bad input ------------------------------------------------------------------------

LONG = "x" * 10_000
PAYLOAD = '"><script>alert("agenda")</script>'
IGNORED = [
    {"centre": "inconnu"},
    {"format": "inconnu"},
    {"theme": "inconnu"},
    {"territory": "Atlantide"},
    {"mode": "teleportation"},
    {"when": "demain"},
    {"month": "2023-13"},
    {"month": "2023-1"},
    {"month": "13-2023"},
    {"month": "2023-00"},
    {"centre": LONG},
    {"theme": LONG},
    {"territory": LONG},
    {"month": LONG},
    {"mode": LONG},
    {"centre": PAYLOAD},
    {"territory": PAYLOAD},
    {"theme": PAYLOAD},
    {"month": PAYLOAD},
    {"when": PAYLOAD},
    {"format": PAYLOAD},
    {"centre": "crc\x00sur"},
    {"territory": "\x00"},
    {"centre": "é" * 50},
    {"unknown": "value"},
]
NOT_FOUND = [
    {"page": "abc"},
    {"page": "9999"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "9" * 10_000},
    {"page": PAYLOAD},
]


@pytest.mark.parametrize("host", [NATIONAL, "crcsur.localhost"])
def test_unknown_or_malformed_filters_give_the_unfiltered_list(network, host, subtests):
    unfiltered = [e.pk for e in get(host).context["events"]]
    for params in IGNORED:
        with subtests.test(params={k: v[:20] for k, v in params.items()}):
            response = get(host, **params)
            assert response.status_code == 200
            assert [e.pk for e in response.context["events"]] == unfiltered
            html = response.content.decode()
            assert PAYLOAD not in html and "<script>alert" not in html
            assert LONG not in html


@pytest.mark.parametrize("params", NOT_FOUND, ids=lambda p: p["page"][:12])
def test_bad_page_numbers_are_not_found(network, params):
    response = get(NATIONAL, **params)
    assert response.status_code == 404
    assert "<script>alert" not in response.content.decode()


def test_bad_input_reaches_the_feeds_the_same_way(network):
    for params in IGNORED[:8] + [{"centre": PAYLOAD}, {"centre": LONG}]:
        for feed in ("ical/", "rss/", "atom/"):
            response = Client(HTTP_HOST=NATIONAL).get("/agenda/" + feed, params)
            assert response.status_code == 200, (feed, params)
            assert b"<script>alert" not in response.content


# --- queries --------------------------------------------------------------------------


def count_queries(host, path):
    client = Client(HTTP_HOST=host)
    client.get(path)  # warm the site-root cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def add_events(network, count):
    """`count` upcoming events spread over the network, each with organisers, tags, a
    format and speakers: what would multiply queries if they were fetched per event."""
    centres = list(Centre.objects.order_by("slug"))
    formats = list(EventFormat.objects.all())
    national = agenda_of(network.national_home)
    oriv_agenda = agenda_of(network.centres["oriv"].home_page)
    soon = timezone.localdate() + timedelta(days=1)
    for number in range(count):
        make_event(
            oriv_agenda if number % 2 else national,
            f"Événement ajouté {number}",
            organisers=[network.centres["oriv"], centres[number % len(centres)]],
            themes=[f"thème {number}", "commun"],
            event_format=formats[number % len(formats)],
            speakers=[f"Intervenant {number}"],
            start_date=soon,
            start_time=time(9),
            end_time=time(10),
        )


QUERIED_PAGES = {
    "national agenda": (NATIONAL, "/agenda/"),
    "national agenda, past": (NATIONAL, "/agenda/?when=passes"),
    "national agenda, filtered": (NATIONAL, "/agenda/?centre=oriv&format=webinaire&mode=online"),
    "centre agenda": ("oriv.localhost", "/agenda/"),
    "national calendar": (NATIONAL, "/agenda/ical/"),
    "centre RSS": ("oriv.localhost", "/agenda/rss/"),
    "centre Atom": ("oriv.localhost", "/agenda/atom/"),
}


def test_agenda_queries_do_not_grow_with_the_number_of_events(network, capsys):
    before = {name: count_queries(*where) for name, where in QUERIED_PAGES.items()}
    add_events(network, 30)
    after = {name: count_queries(*where) for name, where in QUERIED_PAGES.items()}
    with capsys.disabled():
        print("\nSQL queries per request:", before)
    assert after == before
