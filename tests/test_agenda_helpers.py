"""Helpers shared by the agenda tests (this module holds no tests of its own)."""

from datetime import date
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

from agenda.models import AgendaPage, EventSeriesPage, EventSpeaker

from .admin_forms import admin_form_data  # noqa: F401  (re-exported to the agenda tests)
from .factories import EventPageFactory, EventSeriesPageFactory

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
    """An event published the way an editor would (`EventPageFactory`), with what these
    tests read: on 15 January 2031, organised by the centres named only, no summary."""
    fields.setdefault("start_date", date(2031, 1, 15))
    fields.setdefault("summary", "")
    if slug:
        fields["slug"] = slug
    return EventPageFactory(
        parent=parent,
        title=title,
        organisers=list(organisers),
        tags=themes,
        speakers=[EventSpeaker(name=name) for name in speakers],
        live=publish,
        **fields,
    )


def make_series(agenda, title) -> EventSeriesPage:
    return EventSeriesPageFactory(parent=agenda, title=title, introduction="")


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
