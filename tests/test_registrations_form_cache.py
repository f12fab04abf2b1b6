"""The registration form's HTML is a fragment cached per content version, and the
opening's row with it (registrations/templatetags/registration_tags.py): what the form
shows must still follow, at the next request, the opening's settings, the managed list
of profiles and the sessions still offered; the places left are read every time."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from newsletter.models import Profile
from registrations.models import Opening

from .registrations_helpers import IREV, irev_agenda, open_cycle, open_event, register

pytestmark = pytest.mark.django_db


def test_the_cached_form_follows_the_opening_and_the_profiles(network):
    event, opening = open_event(irev_agenda(network), capacity=10)
    client = Client(HTTP_HOST=IREV)
    first = client.get(event.url).content.decode()
    assert f'id="id_reg{opening.pk}_organisation"' in first and "10 places disponibles" in first
    with CaptureQueriesContext(connection) as again:
        assert client.get(event.url).content.decode() == first  # from the cache, the same
    # A warm request reads the seats taken (always) and not the profiles (in the cache).
    sql = " ".join(query["sql"] for query in again.captured_queries)
    assert "registrations_seat" in sql and "newsletter_profile" not in sql
    # The places left follow every registration.
    register(client, opening, "une@exemple.fr")
    assert "9 places disponibles" in client.get(event.url).content.decode()
    # New settings, saved as the admin saves them: the form follows at once.
    opening.ask_organisation = False
    opening.question = "Une question pour la table ronde ?"
    opening.save()
    page = client.get(event.url).content.decode()
    assert f'id="id_reg{opening.pk}_organisation"' not in page
    assert "Une question pour la table ronde ?" in page
    # A profile added to the managed list is offered at once.
    Profile.objects.create(name="Chercheuse ou chercheur", sort_order=99)
    assert "Chercheuse ou chercheur" in client.get(event.url).content.decode()


def test_a_cycles_cached_form_stops_offering_a_session_once_full(network):
    series, events, opening = open_cycle(
        irev_agenda(network), capacity=1, mode=Opening.EACH, waiting_list=False
    )
    client = Client(HTTP_HOST=IREV)
    page = client.get(series.url).content.decode()
    assert f'value="{events[0].pk}"' in page and f'value="{events[1].pk}"' in page
    register(client, opening, "un@exemple.fr", sessions=[events[0].pk])
    page = client.get(series.url).content.decode()
    assert f'value="{events[0].pk}"' not in page and f'value="{events[1].pk}"' in page
    register(client, opening, "deux@exemple.fr", sessions=[events[1].pk])
    page = client.get(series.url).content.decode()
    assert f'action="/inscription/{opening.pk}/"' not in page and "Complet" in page
