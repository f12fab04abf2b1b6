"""The personal link once a session has started (registrations/booking.py `cancel`):
the seat stays, as a count with its check-in mark, only the person's details are
erased; nobody on the waiting list is promoted (nor mailed) for a session already held,
and the page says so."""

from datetime import timedelta
from html import unescape

from django.test import Client
from django.utils import timezone

import pytest

from agenda.models import EventPage
from registrations.figures import figures, seats_of
from registrations.models import Registrant, Seat
from registrations.tokens import cancel_token

from .registrations_helpers import IREV, irev_agenda, open_cycle, open_event, register
from .smtp_server import smtp  # noqa: F401
from .task_worker import run_tasks


def started(event):
    """The session began an hour ago (and is still on)."""
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )


@pytest.mark.django_db
def test_the_link_after_the_start_erases_the_details_and_keeps_the_seat(
    network, smtp, django_capture_on_commit_callbacks
):
    event, opening = open_event(irev_agenda(network), capacity=1)
    client = Client(HTTP_HOST=IREV)
    register(client, opening, "venu@exemple.fr", name="Dominique Venu")
    register(client, opening, "attente@exemple.fr")
    run_tasks()
    Seat.objects.filter(registrant__email="venu@exemple.fr").update(attended=True)
    started(event)
    person = Registrant.objects.get(opening=opening, email="venu@exemple.fr")
    link = f"/inscription/annuler/{cancel_token(person.pk)}/"
    shown = client.get(link).content.decode()
    assert "Une séance a déjà commencé" in shown

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    page = done.content.decode()
    assert done.status_code == 200
    assert "Coordonnées effacées" in page and "ne peut plus être annulée" in page
    person.refresh_from_db()
    assert (person.email, person.name, person.organisation) == ("", "", "")
    assert person.erased_at is not None and person.territory == "Nord"
    seat = Seat.objects.get(registrant=person)
    assert (seat.status, seat.attended) == (Seat.CONFIRMED, True)
    assert figures(seats_of(opening_ids=[opening.pk]))["totals"]["present"] == 1
    # The waiting list is not promoted for a session already held, nor mailed.
    waiting = Seat.objects.get(registrant__email="attente@exemple.fr")
    assert waiting.status == Seat.WAITING and waiting.promoted_at is None
    run_tasks()
    assert len(smtp.to("attente@exemple.fr")) == 1  # the waiting-list mail only
    # The link again: nothing left to cancel, no empty address shown.
    again = client.get(link).content.decode()
    assert "Inscription annulée" in again and "venu@exemple.fr" not in again


@pytest.mark.django_db
def test_a_cycle_link_cancels_the_sessions_to_come_and_keeps_those_held(
    network, django_capture_on_commit_callbacks
):
    series, (first, second), opening = open_cycle(irev_agenda(network), capacity=1)
    client = Client(HTTP_HOST=IREV)
    register(client, opening, "cycle@exemple.fr")
    register(client, opening, "suivant@exemple.fr")
    started(first)
    person = Registrant.objects.get(opening=opening, email="cycle@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/inscription/annuler/{cancel_token(person.pk)}/")
    assert "séances à venir est annulée" in done.content.decode()
    assert list(Seat.objects.filter(registrant=person).values_list("event_id", flat=True)) == [
        first.pk
    ]
    assert Registrant.objects.get(pk=person.pk).email == ""
    status = dict(
        Seat.objects.filter(registrant__email="suivant@exemple.fr").values_list(
            "event_id", "status"
        )
    )
    # The freed place of the session to come goes to the next; the held one stays held.
    assert status == {first.pk: Seat.WAITING, second.pk: Seat.CONFIRMED}


@pytest.mark.django_db
def test_the_link_lists_a_cycles_sessions_with_their_dates(network):
    """A cycle's sessions often share a title ("Séance" and a number, or the cycle's
    theme): the personal link's page names each with its date, as the mails do."""
    from agenda.templatetags.agenda_tags import event_when

    series, sessions, opening = open_cycle(irev_agenda(network), capacity=5)
    client = Client(HTTP_HOST=IREV)
    register(client, opening, "dates@exemple.fr")
    person = Registrant.objects.get(opening=opening, email="dates@exemple.fr")
    page = client.get(f"/inscription/annuler/{cancel_token(person.pk)}/").content.decode()
    for session in sessions:
        session.refresh_from_db()
        assert f"{session.title} ({event_when(session)})" in unescape(page)
