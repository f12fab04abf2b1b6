"""An event whose registrations the portal takes (an opening) no longer offers its outside
registration link beside the form: not on the page (nor its deadline), not in the
JSON-LD offer (which points at the page), not in the API; the event's registration
deadline is the opening's default closing."""

import json
import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from agenda.models import EventPage
from registrations import booking

from .factories import EventPageFactory, OpeningFactory
from .registrations_helpers import IREV, irev_agenda

OUTSIDE = "https://inscription.example.org/formulaire-externe"


def outside_event(agenda, deadline_in_days=5):
    return EventPageFactory(
        parent=agenda,
        registration_url=OUTSIDE,
        registration_deadline=timezone.localdate() + timedelta(days=deadline_in_days),
    )


def json_ld(html):
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


@pytest.mark.django_db
def test_with_an_opening_the_outside_link_and_its_deadline_are_not_offered(network):
    agenda = irev_agenda(network)
    client = Client(HTTP_HOST=IREV)
    # Without an opening, the outside link is offered (the control).
    plain = outside_event(agenda)
    html = client.get(plain.url).content.decode()
    assert f'href="{OUTSIDE}"' in html and json_ld(html)["offers"]["url"] == OUTSIDE

    event = outside_event(agenda)
    OpeningFactory(page=event)
    html = client.get(event.url).content.decode()
    assert OUTSIDE not in html and "S’inscrire" not in html
    assert "avant le" not in html  # the outside link's deadline
    assert f'action="/inscription/{event.registration_opening.pk}/"' in html
    offer = json_ld(html)["offers"]
    assert offer["url"] == event.full_url

    api = client.get(f"/api/v2/events/{event.pk}/").json()
    assert api["registration_url"] == event.full_url
    assert client.get(f"/api/v2/events/{plain.pk}/").json()["registration_url"] == OUTSIDE


@pytest.mark.django_db
def test_the_events_deadline_closes_an_opening_without_a_closing_of_its_own(network):
    agenda = irev_agenda(network)
    event = outside_event(agenda, deadline_in_days=2)
    opening = OpeningFactory(page=event, closes_at=None)
    [state] = booking.states(opening)
    assert state.open
    # The deadline's day is over (in the event's time zone): closed, before the start.
    three_days = timezone.now() + timedelta(days=3)
    [state] = booking.states(opening, now=three_days)
    assert not state.open and three_days < event.starts_at
    EventPage.objects.filter(pk=event.pk).update(
        registration_deadline=timezone.localdate() - timedelta(days=1)
    )
    event.refresh_from_db()
    assert "Inscriptions closes" in Client(HTTP_HOST=IREV).get(event.url).content.decode()
    # The opening's own closing comes first.
    opening.closes_at = timezone.now() + timedelta(days=10)
    [state] = booking.states(opening, sessions=[event])
    assert state.open


@pytest.mark.django_db
def test_the_demo_study_day_has_no_outside_link_beside_its_form(network):
    day = EventPage.objects.live().get(
        registration_opening__isnull=False, title__startswith="Journée d’échanges"
    )
    assert day.registration_url == "" and not day.registration_open
    html = Client(HTTP_HOST=IREV).get(day.url).content.decode()
    assert "inscription.example.org" not in html
