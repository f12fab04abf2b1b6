"""The registrants' mails beyond the confirmation (registrations/mails.py, daily.py,
signals.py): the reminder the day before with the connection link, sent once; a mail
when the dates change or the event is cancelled; details erased a year after."""

from datetime import time, timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

import pytest

from agenda.models import Attendance
from registrations.models import Registrant, Seat

from .factories import EventPageFactory, OpeningFactory
from .newsletter_helpers import part
from .registrations_helpers import IREV, irev_agenda, open_event, register
from .smtp_server import smtp  # noqa: F401
from .task_worker import run_tasks


@pytest.mark.django_db
def test_the_reminder_goes_the_day_before_with_the_connection_link_once(
    network, smtp, django_capture_on_commit_callbacks
):
    agenda = irev_agenda(network)
    tomorrow = timezone.localdate() + timedelta(days=1)
    webinar = EventPageFactory(parent=agenda, start_date=tomorrow, attendance=Attendance.ONLINE)
    later = EventPageFactory(parent=agenda, start_date=tomorrow + timedelta(days=3))
    client = Client(HTTP_HOST=IREV)
    for event in (webinar, later):
        opening = OpeningFactory(page=event)
        register(client, opening, "rappel@exemple.fr")
    run_tasks()
    assert len(smtp.to("rappel@exemple.fr")) == 2  # the two confirmations
    with django_capture_on_commit_callbacks(execute=True):
        call_command("registrations_daily", stdout=StringIO())
    run_tasks()
    reminders = [m for m in smtp.to("rappel@exemple.fr") if "Rappel" in smtp.subject(m)]
    assert [smtp.subject(m) for m in reminders] == [f"Rappel : {webinar.title}"]
    assert "https://visio.example.org/salle" in part(reminders[0], "text/plain")
    # Run again (a timer catching up): nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("registrations_daily", stdout=StringIO())
    run_tasks()
    assert len(smtp.to("rappel@exemple.fr")) == 3


@pytest.mark.django_db
def test_registrants_are_told_when_the_dates_change_or_the_event_is_cancelled(
    network, smtp, django_capture_on_commit_callbacks
):
    event, opening = open_event(irev_agenda(network))
    client = Client(HTTP_HOST=IREV)
    register(client, opening, "a@exemple.fr")
    register(client, opening, "b@exemple.fr")
    run_tasks()
    # A publication that changes nothing of the dates mails nobody.
    with django_capture_on_commit_callbacks(execute=True):
        event.summary = "Nouveau résumé."
        event.save_revision().publish()
    run_tasks()
    assert len(smtp.to("a@exemple.fr")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        event.start_date += timedelta(days=7)
        event.save_revision().publish()
    run_tasks()
    changed = smtp.to("b@exemple.fr")[-1]
    assert smtp.subject(changed) == f"Changement de date : {event.title}"
    assert event.start_date.strftime("%Y") in part(changed, "text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        event.unpublish()
    run_tasks()
    for address in ("a@exemple.fr", "b@exemple.fr"):
        assert smtp.subject(smtp.to(address)[-1]) == f"Événement annulé : {event.title}"


@pytest.mark.django_db
def test_details_are_erased_a_year_after_the_event_counts_stay(network, settings):
    event, opening = open_event(irev_agenda(network))
    register(Client(HTTP_HOST=IREV), opening, "ancien@exemple.fr")
    registrant = Registrant.objects.get(opening=opening)
    Seat.objects.filter(registrant=registrant).update(attended=True)
    call_command("registrations_daily", stdout=StringIO())
    registrant.refresh_from_db()
    assert registrant.email == "ancien@exemple.fr"
    settings.REGISTRATIONS_KEEP_DAYS = 365
    type(event).objects.filter(pk=event.pk).update(ends_at=timezone.now() - timedelta(days=366))
    call_command("registrations_daily", stdout=StringIO())
    registrant.refresh_from_db()
    assert (registrant.email, registrant.name, registrant.organisation) == ("", "", "")
    assert registrant.erased_at is not None
    assert registrant.profile is not None and registrant.territory == "Nord"
    assert Seat.objects.get(registrant=registrant).attended is True


@pytest.mark.django_db
def test_mails_are_written_in_the_language_of_the_page_not_the_workers(network, smtp):
    # The worker serves no request: whatever language its process was left in (here
    # English), a French page's registrant reads French, down to the event's dates,
    # whose wording the English catalogue translates ("heure locale" / "local time").
    event = EventPageFactory(
        parent=irev_agenda(network), time_zone="America/Martinique", start_time=time(18)
    )
    register(Client(HTTP_HOST=IREV), OpeningFactory(page=event), "langue@exemple.fr")
    with translation.override("en"):
        run_tasks()
    [mail] = smtp.to("langue@exemple.fr")
    assert smtp.subject(mail) == f"Inscription confirmée : {event.title}"
    text, html = part(mail, "text/plain"), part(mail, "text/html")
    assert "heure locale" in text and "local time" not in text
    assert "Votre inscription est confirmée pour" in text and '<html lang="fr">' in html
