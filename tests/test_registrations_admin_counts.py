"""The counts in the admin's page listings (registrations/wagtail_hooks.py): a session
of a cycle shows its own seats against the capacity, which is per session; the cycle's
row shows its seats without a capacity to compare them with."""

from django.urls import reverse

import pytest

from registrations.models import Opening, Seat
from registrations.wagtail_hooks import registrants_button

from .factories import RegistrantFactory, SeatFactory
from .registrations_helpers import irev_agenda, open_cycle


def label(page, user):
    [button] = registrants_button(page, user)
    return str(button.label)


@pytest.mark.django_db
def test_each_session_of_a_cycle_counts_its_own_seats(network):
    series, (first, second), opening = open_cycle(
        irev_agenda(network), capacity=2, mode=Opening.EACH
    )
    for event, status in [
        (first, Seat.CONFIRMED),
        (first, Seat.CONFIRMED),
        (first, Seat.WAITING),
        (second, Seat.CONFIRMED),
    ]:
        SeatFactory(registrant=RegistrantFactory(opening=opening), event=event, status=status)
    editor = network.user("editeur-irev")
    assert label(first, editor) == "Inscrits\u00a0: 2 / 2 · 1 en attente"
    assert label(second, editor) == "Inscrits\u00a0: 1 / 2"
    assert label(series, editor) == "Inscrits\u00a0: 3 · 1 en attente"
    listing = network.client_for("editeur-irev").get(reverse("events:index")).content.decode()
    assert "Inscrits\u00a0: 1 / 2" in listing
