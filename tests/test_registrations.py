"""Registrations (registrations/, docs/registrations.md): the form on the event's page,
capacity, closing, the waiting list promoted in order, cycles (every session at once or
session by session), the fields each event asks, the personal cancellation link, and
the mails through the real SMTP server."""

from datetime import timedelta

from django.core import signing
from django.test import Client
from django.utils import timezone

import pytest
from icalendar import Calendar

from registrations.models import Opening, Registrant, Seat
from registrations.tokens import cancel_token

from .newsletter_helpers import links, part, path_of
from .registrations_helpers import IREV, irev_agenda, open_cycle, open_event, register
from .smtp_server import smtp  # noqa: F401
from .task_worker import run_tasks


def attachment(message, content_type):
    for sub in message.walk():
        if sub.get_content_type() == content_type and sub.get_filename():
            return sub.get_payload(decode=True)
    raise AssertionError(f"no {content_type} attachment")


@pytest.mark.django_db
def test_a_visitor_registers_on_the_event_page_and_is_mailed_a_calendar(network, smtp):
    event, opening = open_event(irev_agenda(network), capacity=10)
    client = Client(HTTP_HOST=IREV)
    page = client.get(event.url).content.decode()
    assert "Inscription" in page and f'action="/inscription/{opening.pk}/"' in page
    assert "10 places disponibles" in page
    assert f'for="id_reg{opening.pk}_email"' in page and "Profil" in page
    response = register(client, opening, "Camille@Exemple.FR")
    assert response.status_code == 200
    assert "Inscription confirmée" in response.content.decode()
    [seat] = Seat.objects.filter(registrant__opening=opening)
    assert seat.status == Seat.CONFIRMED and seat.event_id == event.pk
    assert seat.registrant.email == "camille@exemple.fr"
    assert seat.registrant.profile is not None and seat.registrant.territory == "Nord"
    assert "9 places disponibles" in client.get(event.url).content.decode()

    run_tasks()
    [mail] = smtp.to("camille@exemple.fr")
    assert smtp.subject(mail) == f"Inscription confirmée : {event.title}"
    calendar = Calendar.from_ical(attachment(mail, "text/calendar"))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == event.title
    assert vevent.decoded("dtstart") == event.start_date
    [link] = [u for u in links(part(mail, "text/plain")) if "/inscription/annuler/" in u]
    assert link.startswith("http://irev.localhost/")
    # The link shows what it cancels and a button (a link scanner cancels nothing)...
    shown = client.get(path_of(link))
    assert shown.status_code == 200 and "camille@exemple.fr" in shown.content.decode()
    assert Seat.objects.filter(pk=seat.pk).exists()
    # ...and the button cancels and erases.
    done = client.post(path_of(link))
    assert done.status_code == 200 and "effacées" in done.content.decode()
    assert not Registrant.objects.filter(opening=opening).exists()
    assert "10 places disponibles" in client.get(event.url).content.decode()


@pytest.mark.django_db
def test_a_full_event_puts_the_next_on_the_waiting_list_promoted_in_order(
    network, smtp, django_capture_on_commit_callbacks
):
    event, opening = open_event(irev_agenda(network), capacity=2)
    client = Client(HTTP_HOST=IREV)
    for n in range(4):
        assert register(client, opening, f"p{n}@exemple.fr").status_code == 200
    statuses = dict(Seat.objects.filter(event=event).values_list("registrant__email", "status"))
    assert statuses == {
        "p0@exemple.fr": Seat.CONFIRMED,
        "p1@exemple.fr": Seat.CONFIRMED,
        "p2@exemple.fr": Seat.WAITING,
        "p3@exemple.fr": Seat.WAITING,
    }
    page = client.get(event.url).content.decode()
    assert "Complet" in page and "liste d’attente" in page
    run_tasks()
    assert smtp.subject(smtp.to("p2@exemple.fr")[0]) == f"Liste d’attente : {event.title}"
    # p0 cancels by their link: p2 (first in line) gets the place and a mail, not p3.
    p0 = Registrant.objects.get(opening=opening, email="p0@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/inscription/annuler/{cancel_token(p0.pk)}/")
    statuses = dict(Seat.objects.filter(event=event).values_list("registrant__email", "status"))
    assert statuses == {
        "p1@exemple.fr": Seat.CONFIRMED,
        "p2@exemple.fr": Seat.CONFIRMED,
        "p3@exemple.fr": Seat.WAITING,
    }
    run_tasks()
    [_, promoted] = smtp.to("p2@exemple.fr")
    assert smtp.subject(promoted) == f"Une place s’est libérée : {event.title}"
    Calendar.from_ical(attachment(promoted, "text/calendar"))
    assert len(smtp.to("p3@exemple.fr")) == 1  # the waiting-list mail only


@pytest.mark.django_db
def test_the_same_address_twice_keeps_one_place(network):
    event, opening = open_event(irev_agenda(network), capacity=5)
    client = Client(HTTP_HOST=IREV)
    register(client, opening, "deux@exemple.fr")
    again = register(client, opening, " DEUX@exemple.fr ", name="Autre nom")
    assert "déjà inscrit" in again.content.decode()
    [registrant] = Registrant.objects.filter(opening=opening)
    assert registrant.seats.count() == 1 and registrant.name == "Camille Martin"


@pytest.mark.django_db
def test_full_without_waiting_list_and_closed_registrations_are_shown_and_refused(network):
    agenda = irev_agenda(network)
    full_event, full = open_event(agenda, capacity=1, waiting_list=False)
    client = Client(HTTP_HOST=IREV)
    register(client, full, "premier@exemple.fr")
    page = client.get(full_event.url).content.decode()
    assert "Complet" in page and "registration-form" not in page
    register(client, full, "second@exemple.fr")
    assert not Registrant.objects.filter(email="second@exemple.fr").exists()

    closed_event, closed = open_event(agenda, closes_at=timezone.now() - timedelta(hours=1))
    page = client.get(closed_event.url).content.decode()
    assert "Inscriptions closes" in page and "registration-form" not in page
    register(client, closed, "tard@exemple.fr")
    assert not Registrant.objects.filter(opening=closed).exists()
    # Closed by hand, the same.
    Opening.objects.filter(pk=full.pk).update(is_open=False, capacity=None)
    assert "Inscriptions closes" in client.get(full_event.url).content.decode()


@pytest.mark.django_db
def test_a_cycle_registers_to_every_session_at_once(network):
    series, events, opening = open_cycle(irev_agenda(network), capacity=3)
    client = Client(HTTP_HOST=IREV)
    page = client.get(series.url).content.decode()
    assert "Inscription au cycle" in page and "toutes les séances" in page
    # The form is on every session's page too.
    assert f'action="/inscription/{opening.pk}/"' in client.get(events[1].url).content.decode()
    assert register(client, opening, "cycle@exemple.fr").status_code == 200
    seats = Seat.objects.filter(registrant__email="cycle@exemple.fr")
    assert sorted(seats.values_list("event_id", flat=True)) == sorted(e.pk for e in events)


@pytest.mark.django_db
def test_a_cycle_session_by_session(network):
    series, events, opening = open_cycle(irev_agenda(network), capacity=1, mode=Opening.EACH)
    client = Client(HTTP_HOST=IREV)
    page = client.get(series.url).content.decode()
    assert "Séances" in page and f'value="{events[0].pk}"' in page
    nothing = register(client, opening, "rien@exemple.fr")
    assert nothing.status_code == 400 and "au moins une séance" in nothing.content.decode()
    register(client, opening, "un@exemple.fr", sessions=[events[0].pk])
    register(client, opening, "deux@exemple.fr", sessions=[events[0].pk, events[1].pk])
    status = {
        (s.registrant.email, s.event_id): s.status
        for s in Seat.objects.filter(event__in=events).select_related("registrant")
    }
    assert status == {
        ("un@exemple.fr", events[0].pk): Seat.CONFIRMED,
        ("deux@exemple.fr", events[0].pk): Seat.WAITING,
        ("deux@exemple.fr", events[1].pk): Seat.CONFIRMED,
    }


@pytest.mark.django_db
def test_each_event_asks_its_own_fields(network):
    event, opening = open_event(
        irev_agenda(network),
        ask_profile=False,
        ask_territory=False,
        ask_accessibility=False,
        question="Quelle question souhaitez-vous poser aux intervenants ?",
    )
    client = Client(HTTP_HOST=IREV)
    page = client.get(event.url).content.decode()
    assert "Quelle question souhaitez-vous poser" in page
    for field in ("profile", "territory", "accessibility"):
        assert f'id="id_reg{opening.pk}_{field}"' not in page
    assert f'id="id_reg{opening.pk}_name"' in page
    missing = register(client, opening, "q@exemple.fr", name="", answer="")
    assert missing.status_code == 400 and 'role="alert"' in missing.content.decode()
    assert f'aria-describedby="id_reg{opening.pk}_name-error"' in missing.content.decode()
    assert f'id="id_reg{opening.pk}_name-error"' in missing.content.decode()
    assert not Registrant.objects.filter(opening=opening).exists()
    register(client, opening, "q@exemple.fr", answer="Quel calendrier ?")
    registrant = Registrant.objects.get(opening=opening)
    assert registrant.answer == "Quel calendrier ?" and registrant.profile is None


@pytest.mark.django_db
def test_robots_and_forged_links_change_nothing(network):
    event, opening = open_event(irev_agenda(network))
    client = Client(HTTP_HOST=IREV)
    trapped = register(client, opening, "robot@exemple.fr", website="http://spam.example")
    assert trapped.status_code == 400
    register(client, opening, "vrai@exemple.fr")
    registrant = Registrant.objects.get(opening=opening)
    forged = signing.Signer(salt="autre").sign(str(registrant.pk))
    assert client.post(f"/inscription/annuler/{forged}/").status_code == 404
    altered = cancel_token(registrant.pk).replace(str(registrant.pk), str(registrant.pk + 1), 1)
    assert client.post(f"/inscription/annuler/{altered}/").status_code == 404
    assert Registrant.objects.filter(pk=registrant.pk).exists()
    assert client.get("/inscription/999999/").status_code == 404


@pytest.mark.django_db
def test_an_address_flooding_the_form_is_stopped(network, settings):
    settings.REGISTRATIONS_LIMIT_PER_ADDRESS = 2
    event, opening = open_event(irev_agenda(network))
    client = Client(HTTP_HOST=IREV)
    assert register(client, opening, "flot@exemple.fr").status_code == 200
    assert register(client, opening, "flot@exemple.fr").status_code == 200
    assert register(client, opening, "flot@exemple.fr").status_code == 429


@pytest.mark.django_db
def test_a_held_event_shows_no_registration_box_a_cycle_with_a_session_to_come_does(network):
    """Once every session has started the page says the event is past: no "Inscription"
    box saying it is closed. A cycle keeps its box while one session is still to come."""
    agenda = irev_agenda(network)
    client = Client(HTTP_HOST=IREV)
    held, _ = open_event(agenda)
    held.start_date = timezone.localdate() - timedelta(days=3)
    held.save_revision().publish()
    page = client.get(held.url).content.decode()
    assert "événement passé" in page
    assert 'class="registration"' not in page and "Inscriptions closes" not in page

    series, (first, _second), _ = open_cycle(agenda)
    first.start_date = timezone.localdate() - timedelta(days=3)
    first.save_revision().publish()
    page = client.get(series.url).content.decode()
    assert 'class="registration"' in page and "registration-form" in page
