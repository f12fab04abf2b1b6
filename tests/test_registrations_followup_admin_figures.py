"""The event's registrants page in the admin (registrations/admin_views.py) shows, beside
the totals, the event's figures by profile and by territory (registered, present,
no-shows, not checked, waiting, as registrations/figures.py counts them)."""

import re
from html import unescape

from django.urls import reverse

import pytest

from newsletter.models import Profile
from registrations.models import Seat

from .factories import RegistrantFactory, SeatFactory
from .registrations_helpers import irev_agenda, open_event

COLUMNS = ("registered", "present", "no_show", "unchecked", "waiting")


def counts(*numbers) -> dict:
    return dict(zip(COLUMNS, numbers, strict=True))


def table(html: str, caption: str) -> dict:
    """{row label: {column: count}} of the table with this caption."""
    match = re.search(rf"<caption>{caption}</caption>(.*?)</table>", html, re.S)
    assert match, f"no table « {caption} »"
    rows = re.findall(r'<th scope="row">(.*?)</th>((?:<td>\d+</td>)+)', match.group(1))
    return {
        unescape(label): dict(zip(COLUMNS, map(int, re.findall(r"<td>(\d+)</td>", cells))))
        for label, cells in rows
    }


@pytest.mark.django_db
def test_the_registrants_page_shows_the_event_by_profile_and_by_territory(network):
    elected, association = Profile.objects.order_by("sort_order")[:2]
    event, opening = open_event(irev_agenda(network))
    other_event, other_opening = open_event(irev_agenda(network))
    people = [
        (elected, "Nord", Seat.CONFIRMED, True),
        (elected, "nord", Seat.CONFIRMED, False),
        (elected, "Pas-de-Calais", Seat.CONFIRMED, True),
        (association, "Pas-de-Calais", Seat.CONFIRMED, False),
        (association, "Nord", Seat.CONFIRMED, None),
        (association, "Nord", Seat.WAITING, None),
        (None, "", Seat.CONFIRMED, True),
    ]
    for profile, territory, status, attended in people:
        SeatFactory(
            registrant=RegistrantFactory(opening=opening, profile=profile, territory=territory),
            event=event,
            status=status,
            attended=attended,
        )
    # Another event's registrants are not counted here.
    SeatFactory(
        registrant=RegistrantFactory(opening=other_opening, profile=elected, territory="Nord"),
        event=other_event,
        attended=True,
    )
    client = network.client_for("editeur-irev")
    response = client.get(reverse("registrations_registrants", args=[opening.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert table(html, "Par profil") == {
        elected.name: counts(3, 2, 1, 0, 0),
        association.name: counts(2, 0, 1, 1, 1),
        "non renseigné": counts(1, 1, 0, 0, 0),
    }
    assert table(html, "Par territoire") == {
        "Nord": counts(3, 1, 1, 1, 1),
        "Pas-De-Calais": counts(2, 1, 1, 0, 0),
        "non renseigné": counts(1, 1, 0, 0, 0),
    }
