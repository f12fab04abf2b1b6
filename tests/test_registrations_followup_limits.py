"""The per-client rate limit of the public registration form (registrations/limits.py):
past `REGISTRATIONS_LIMIT_PER_CLIENT` POSTs in the window, a client gets a 429 page
saying so, and nothing is saved; another client still registers."""

from django.test import Client

import pytest

from registrations.models import Registrant, Seat

from .registrations_helpers import IREV, irev_agenda, open_event, register


@pytest.mark.django_db
def test_the_posts_past_the_limit_from_one_client_are_refused(network, settings):
    settings.REGISTRATIONS_LIMIT_PER_CLIENT = 3
    event, opening = open_event(irev_agenda(network), capacity=50)
    flooding = Client(HTTP_HOST=IREV, REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        assert register(flooding, opening, f"personne{n}@exemple.fr").status_code == 200
    refused = register(flooding, opening, "une.de.trop@exemple.fr")
    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    assert not Registrant.objects.filter(email="une.de.trop@exemple.fr").exists()
    assert Seat.objects.filter(event=event).count() == 3
    # Still refused, valid or not, until the window ends.
    assert register(flooding, opening, "encore@exemple.fr").status_code == 429

    other = Client(HTTP_HOST=IREV, REMOTE_ADDR="198.51.100.20")
    assert register(other, opening, "voisine@exemple.fr").status_code == 200
    assert Seat.objects.filter(event=event, registrant__email="voisine@exemple.fr").exists()
    assert Seat.objects.filter(event=event).count() == 4
