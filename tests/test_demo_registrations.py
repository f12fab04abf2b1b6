"""The demo's registrations (demo/seed/registrations.py), as `make run` shows them and
docs/registrations.md "In the demo" describes them: IREV's webinar nearly full, its
study day full with a waiting list, and Villes au carré's cycle open session by
session. Read from the seeded network."""

from django.utils import timezone

import pytest

from registrations import booking
from registrations.figures import figures, seats_of
from registrations.models import Opening, Seat

from .registrations_helpers import IREV


def opening_of(centre, title_start):
    return Opening.objects.select_related("page").get(
        page__path__startswith=centre.home_page.path, page__title__startswith=title_start
    )


def seats(opening, status):
    return Seat.objects.filter(registrant__opening=opening, status=status).count()


@pytest.mark.django_db
def test_the_demo_openings(network):
    irev = network.centres["irev"]
    webinar = opening_of(irev, "Webinaire")
    [state] = booking.states(webinar)
    assert (webinar.capacity, state.confirmed, state.left, state.state) == (40, 37, 3, "open")

    day = opening_of(irev, "Journée d’échanges")
    [state] = booking.states(day)
    assert (day.capacity, state.confirmed, state.state) == (12, 12, "waiting")
    assert seats(day, Seat.WAITING) == 3
    assert day.page.specific.registration_url == ""  # the portal's form alone

    cycle = opening_of(network.centres["villes-au-carre"], "Cycle de webinaires")
    assert cycle.mode == Opening.EACH and cycle.capacity == 30
    states = booking.states(cycle)
    assert len(states) == 3 and all(s.state == "open" for s in states)
    assert [s.confirmed for s in states] == [28, 0, 0]


@pytest.mark.django_db
def test_the_demo_pages_show_them(network, client):
    webinar = opening_of(network.centres["irev"], "Webinaire").page
    page = client.get(webinar.url, HTTP_HOST=IREV).content.decode()
    assert "3 places disponibles" in page
    day = opening_of(network.centres["irev"], "Journée d’échanges").page
    page = client.get(day.url, HTTP_HOST=IREV).content.decode()
    assert "Complet" in page and "liste d’attente" in page


@pytest.mark.django_db
def test_the_demo_figures_count_its_sessions_to_come_as_not_checked(network):
    """The demo's sessions to come, nobody checked in yet: every confirmed seat is "non
    pointé", none present nor a no-show, the waiting list apart."""
    expected = {"Webinaire": (37, 0), "Journée d’échanges": (12, 3), "Cycle de webinaires": (28, 0)}
    for (title, (confirmed, waiting)), centre in zip(
        expected.items(), ("irev", "irev", "villes-au-carre"), strict=True
    ):
        opening = opening_of(network.centres[centre], title)
        assert figures(seats_of(opening_ids=[opening.pk]))["totals"] == {
            "registered": confirmed,
            "present": 0,
            "no_show": 0,
            "unchecked": confirmed,
            "waiting": waiting,
        }


@pytest.mark.django_db
def test_the_demo_has_a_session_held_and_checked_in(network, client):
    """Villes au carré's last qualification day, held and checked in: its figures count
    the people ticked present (as many as its editor had typed), the three marked absent
    and the two left unticked as no-shows; its page shows the count from check-in."""
    centre = network.centres["villes-au-carre"]
    opening = opening_of(centre, "Cycle de qualification")
    event = opening.page.specific
    assert event.start_date < timezone.localdate() and not opening.is_open
    typed = event.participants_count
    assert figures(seats_of(opening_ids=[opening.pk]))["totals"] == {
        "registered": typed + 5,
        "present": typed,
        "no_show": 5,
        "unchecked": 0,
        "waiting": 2,
    }
    host = centre.home_page.get_site().hostname
    page = client.get(event.url, HTTP_HOST=host).content.decode()
    assert f"<dt>Participants</dt><dd>{typed}</dd>" in page
    assert booking.present_counts({event.pk: event.path})[event.pk] == typed  # from check-in
