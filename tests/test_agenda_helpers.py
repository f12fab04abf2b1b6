"""Helpers shared by the agenda tests (this module holds no tests of its own)."""

from datetime import date
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from agenda.models import AgendaPage, Attendance, EventPage, EventSeriesPage, EventSpeaker

from .admin_forms import admin_form_data  # noqa: F401  (re-exported to the agenda tests)

EVENT_ADD_ARGS = ("agenda", "eventpage")


def fetch(url, **extra):
    """GET an absolute URL on the host it names (the test client ignores the host)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return Client(HTTP_HOST=parts.netloc).get(path, **extra)


def agenda_of(home) -> AgendaPage:
    return AgendaPage.objects.child_of(home).get()


def make_event(
    parent, title, *, organisers=(), themes=(), speakers=(), publish=True, slug=None, **fields
):
    """An event published the way an editor would (a revision, then publish)."""
    fields.setdefault("start_date", date(2031, 1, 15))
    fields.setdefault("attendance", Attendance.IN_PERSON)
    if fields["attendance"] != Attendance.ONLINE:
        fields.setdefault("city", "Lyon")
    if fields["attendance"] != Attendance.IN_PERSON:
        fields.setdefault("online_url", "https://visio.example.org/salle")
    event = EventPage(title=title, slug=slug or slugify(title), live=publish, **fields)
    parent.add_child(instance=event)
    event.organisers.set(organisers)
    event.tags.set(list(themes))
    event.speakers = [EventSpeaker(name=name) for name in speakers]
    revision = event.save_revision()
    if publish:
        revision.publish()
    event.refresh_from_db()
    return event


def make_series(agenda, title) -> EventSeriesPage:
    series = EventSeriesPage(title=title, slug=slugify(title))
    agenda.add_child(instance=series)
    series.save_revision().publish()
    return series


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=[*EVENT_ADD_ARGS, parent.pk])


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def event_fields(**changes):
    """A valid in-person event as the admin form receives it."""
    fields = {
        "title": "Rencontre test",
        "slug": "rencontre-test",
        "start_date": "2031-01-15",
        "start_time": "14:00",
        "end_date": "",
        "end_time": "15:30",
        "time_zone": "",
        "attendance": "in_person",
        "venue": "Salle polyvalente",
        "city": "Saint-Denis",
        "online_url": "",
        "registration_deadline": "",
    }
    fields.update(changes)
    return fields
