"""Events through time: typed in local time, stored in UTC, shown with Paris time when it
differs; validation in the real admin forms; upcoming / ongoing / past; formats."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

import pytest

from agenda.formats import EventFormat
from agenda.models import EventPage
from demo.seed.data import network as network_data

from .test_agenda_helpers import (
    add_url,
    admin_form_data,
    agenda_of,
    edit_url,
    event_fields,
    fetch,
    make_event,
)

pytestmark = pytest.mark.django_db


def get_page(event):
    """The HTML of the event's page on its own site."""
    response = fetch(event.full_url)
    assert response.status_code == 200, event.full_url
    return response.content.decode()


# --- time zones -----------------------------------------------------------------------


def test_overseas_event_is_stored_in_utc_and_shown_in_local_time_with_paris_time(network):
    crcsur = network.centres["crcsur"]
    event = make_event(
        agenda_of(crcsur.home_page),
        "Webinaire Réunion",
        organisers=[crcsur],
        start_date=date(2031, 1, 15),
        start_time=time(14),
        end_time=time(15, 30),
    )
    assert event.time_zone == "Indian/Reunion"  # the owning centre's, by default
    assert event.starts_at == datetime(2031, 1, 15, 10, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2031, 1, 15, 11, 30, tzinfo=UTC)
    html = get_page(event)
    assert "mercredi 15 janvier 2031, de 14\u00a0h\u00a000 à 15\u00a0h\u00a030" in html
    assert "UTC+04:00" in html
    # January: Paris is UTC+1, three hours behind La Réunion.
    assert "de 11\u00a0h\u00a000 à 12\u00a0h\u00a030" in html and "Paris" in html


def test_paris_time_follows_daylight_saving(network):
    crcsur = network.centres["crcsur"]
    event = make_event(
        agenda_of(crcsur.home_page),
        "Webinaire d'été",
        organisers=[crcsur],
        start_date=date(2031, 7, 15),
        start_time=time(14),
        end_time=time(15, 30),
    )
    assert event.starts_at == datetime(2031, 7, 15, 10, 0, tzinfo=UTC)
    assert "de 12\u00a0h\u00a000 à 13\u00a0h\u00a030" in get_page(event)  # July: Paris is UTC+2


def test_paris_time_gives_the_day_when_it_differs_from_the_local_day(network):
    guadeloupe = network.centres["crpv-guadeloupe"]
    event = make_event(
        agenda_of(guadeloupe.home_page),
        "Soirée débat",
        organisers=[guadeloupe],
        start_date=date(2031, 1, 15),
        start_time=time(20),
        end_time=time(22),
    )
    assert event.starts_at == datetime(2031, 1, 16, 0, 0, tzinfo=UTC)
    html = get_page(event)
    assert "mercredi 15 janvier 2031, de 20\u00a0h\u00a000 à 22\u00a0h\u00a000" in html
    assert "UTC-04:00" in html
    assert "jeudi 16 janvier 2031, de 1\u00a0h\u00a000 à 3\u00a0h\u00a000" in html


def test_paris_event_shows_no_time_zone_note(network):
    oriv = network.centres["oriv"]
    event = make_event(
        agenda_of(oriv.home_page),
        "Atelier Strasbourg",
        organisers=[oriv],
        start_date=date(2031, 1, 15),
        start_time=time(14),
        end_time=time(15, 30),
    )
    assert event.time_zone == "Europe/Paris"
    assert event.starts_at == datetime(2031, 1, 15, 13, 0, tzinfo=UTC)
    html = get_page(event)
    assert "mercredi 15 janvier 2031, de 14\u00a0h\u00a000 à 15\u00a0h\u00a030" in html
    assert "UTC+" not in html and "heure locale" not in html


def test_network_event_defaults_to_paris_time(network):
    event = make_event(
        agenda_of(network.national_home),
        "Séminaire national",
        start_date=date(2031, 1, 15),
        start_time=time(9),
    )
    assert event.time_zone == "Europe/Paris"


def test_whole_day_events_span_to_midnight_after_their_last_day(network):
    crcsur = network.centres["crcsur"]
    event = make_event(
        agenda_of(crcsur.home_page),
        "Université d'été",
        organisers=[crcsur],
        start_date=date(2031, 3, 10),
        end_date=date(2031, 3, 12),
    )
    reunion = ZoneInfo("Indian/Reunion")
    assert event.all_day
    assert event.starts_at == datetime(2031, 3, 10, tzinfo=reunion)
    assert event.ends_at == datetime(2031, 3, 13, tzinfo=reunion)
    html = get_page(event)
    assert "du lundi 10 mars 2031 au mercredi 12 mars 2031" in html
    assert "h 00" not in html.split("<dt>Date</dt>")[1].split("</dd>")[0]


def test_single_whole_day_event_reads_as_one_day(network):
    event = make_event(
        agenda_of(network.national_home), "Journée nationale", start_date=date(2031, 3, 10)
    )
    assert event.ends_at - event.starts_at == timedelta(days=1)
    assert "<dd>lundi 10 mars 2031</dd>" in get_page(event)


# --- state through time ---------------------------------------------------------------


def test_upcoming_ongoing_and_past(network):
    agenda = agenda_of(network.national_home)
    today = timezone.localdate()
    upcoming = make_event(agenda, "Plus tard", start_date=today + timedelta(days=3))
    ongoing = make_event(
        agenda,
        "En ce moment",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=1),
    )
    past = make_event(
        agenda, "Autrefois", start_date=date(2020, 5, 4), start_time=time(9), end_time=time(12)
    )
    assert (upcoming.state, ongoing.state, past.state) == ("upcoming", "ongoing", "past")
    assert "événement passé" not in get_page(upcoming)
    assert "en cours" in get_page(ongoing)
    # Past events stay online, as the network's memory.
    assert "événement passé" in get_page(past)


# --- the admin add view: default time zone, validation --------------------------------


def add_form(network, username, centre_slug):
    """An editor's client, the add view's URL under the centre's agenda, and its form."""
    client = network.client_for(username, host=f"{centre_slug}.localhost")
    url = add_url(agenda_of(network.centres[centre_slug].home_page))
    return client, url, client.get(url).context["form"]


def post_new_event(network, username, centre_slug, **changes):
    client, url, form = add_form(network, username, centre_slug)
    data = admin_form_data(form, **event_fields(**changes))
    data["action-publish"] = "action-publish"
    return client.post(url, data)


def test_an_editor_creates_an_event_in_the_centre_time_zone(network):
    response = post_new_event(
        network, "editeur-crcsur", "crcsur", organisers=[str(network.centres["crcsur"].pk)]
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = EventPage.objects.get(slug="rencontre-test")
    assert event.live
    assert event.time_zone == "Indian/Reunion"
    assert event.starts_at == datetime(2031, 1, 15, 10, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2031, 1, 15, 11, 30, tzinfo=UTC)
    assert list(event.organisers.values_list("slug", flat=True)) == ["crcsur"]


def test_the_add_form_offers_the_centre_time_zone(network):
    client = network.client_for("editeur-crcsur", host="crcsur.localhost")
    form = client.get(add_url(agenda_of(network.centres["crcsur"].home_page))).context["form"]
    assert form["time_zone"].value() == "Indian/Reunion"


INVALID = [
    (
        "end date before start",
        dict(end_date="2031-01-14"),
        "La date de fin précède la date de début.",
    ),
    (
        "end time before start time",
        dict(start_time="15:00", end_time="14:00"),
        "L’heure de fin précède l’heure de début.",
    ),
    (
        "deadline after the event",
        dict(registration_deadline="2031-01-20"),
        "La date limite d’inscription tombe après le début de l’événement.",
    ),
    (
        "deadline after the start",
        dict(end_date="2031-01-17", registration_deadline="2031-01-16"),
        "La date limite d’inscription tombe après le début de l’événement.",
    ),
    (
        "online without link",
        dict(attendance="online", venue="", city=""),
        "Un événement en ligne ou hybride a besoin d’un lien de connexion ou de diffusion.",
    ),
    (
        "hybrid without link",
        dict(attendance="hybrid"),
        "Un événement en ligne ou hybride a besoin d’un lien de connexion ou de diffusion.",
    ),
    (
        "in person without place",
        dict(venue="", city=""),
        "Indiquez le lieu ou la ville d’un événement en présentiel.",
    ),
    (
        "end time without start time",
        dict(start_time="", end_time="15:00"),
        "Indiquez l’heure de début, ou retirez l’heure de fin.",
    ),
    (
        "hybrid without place",
        dict(attendance="hybrid", online_url="https://visio.example.org/", venue="", city=""),
        "Indiquez le lieu ou la ville d’un événement en présentiel.",
    ),
]


def test_the_add_view_refuses_an_inconsistent_event(network, subtests):
    client, url, form = add_form(network, "editeur-crcsur", "crcsur")
    before = EventPage.objects.count()
    for case, changes, message in INVALID:
        with subtests.test(case):
            data = admin_form_data(form, **event_fields(**changes))
            data["action-publish"] = "action-publish"
            response = client.post(url, data)
            assert response.status_code == 200
            assert message in response.content.decode()
            assert EventPage.objects.count() == before


def test_the_same_day_allows_a_deadline_on_the_day_and_a_later_end_time(network):
    response = post_new_event(
        network,
        "editeur-crcsur",
        "crcsur",
        registration_deadline="2031-01-15",
        start_time="09:00",
        end_time="17:00",
    )
    assert response.status_code == 302
    assert EventPage.objects.filter(slug="rencontre-test").exists()


@pytest.mark.parametrize("case, changes, message", INVALID[:3], ids=[c[0] for c in INVALID[:3]])
def test_the_edit_view_refuses_an_inconsistent_event(network, case, changes, message):
    crcsur = network.centres["crcsur"]
    event = make_event(
        agenda_of(crcsur.home_page),
        "Forum",
        organisers=[crcsur],
        start_date=date(2031, 1, 15),
        start_time=time(14),
        end_time=time(15, 30),
    )
    client = network.client_for("editeur-crcsur", host="crcsur.localhost")
    form = client.get(edit_url(event)).context["form"]
    data = admin_form_data(form, **changes)
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(event), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    event.refresh_from_db()
    assert (event.start_date, event.end_date, event.registration_deadline) == (
        date(2031, 1, 15),
        None,
        None,
    )
    assert event.revisions.count() == 1


def test_the_preview_shows_the_dates_being_typed(network):
    crcsur = network.centres["crcsur"]
    client = network.client_for("editeur-crcsur", host="crcsur.localhost")
    parent = agenda_of(crcsur.home_page)
    form = client.get(add_url(parent)).context["form"]
    url = reverse("wagtailadmin_pages:preview_on_add", args=["agenda", "eventpage", parent.pk])
    assert client.post(url, admin_form_data(form, **event_fields())).json()["is_valid"]
    html = client.get(url).content.decode()
    when = "mercredi 15 janvier 2031, de 14\u00a0h\u00a000 à 15\u00a0h\u00a030"
    assert f"{when} (heure locale, UTC+04:00)" in html
    assert not EventPage.objects.filter(slug="rencontre-test").exists()


# --- registration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, deadline, open_",
    [
        (10, 3, True),
        (10, 0, True),
        (10, -1, False),
        (10, None, True),
        (-10, None, False),
    ],
)
def test_registration_is_offered_until_its_deadline(network, start, deadline, open_):
    today = timezone.localdate()
    event = make_event(
        agenda_of(network.national_home),
        "Formation",
        start_date=today + timedelta(days=start),
        registration_url="https://inscription.example.org/formation",
        registration_deadline=None if deadline is None else today + timedelta(days=deadline),
    )
    assert event.registration_open is open_
    assert ("https://inscription.example.org/formation" in get_page(event)) is open_


# --- formats ---------------------------------------------------------------------------


def test_event_formats_are_a_managed_list_seeded_from_the_data_file(network):
    seen = network_data()["event_formats_seen"]
    names = {name.lower() for name in EventFormat.objects.values_list("name", flat=True)}
    assert names == {name.lower() for name in seen}
    client = network.client_for("admin")
    listing = client.get(reverse("wagtailsnippets_agenda_eventformat:list"))
    assert listing.status_code == 200
    assert "Webinaire" in listing.content.decode()
    # The event form offers exactly that list.
    form = client.get(add_url(agenda_of(network.national_home))).context["form"]
    offered = {label for value, label in form.fields["event_format"].choices if value}
    assert offered == set(EventFormat.objects.values_list("name", flat=True))
