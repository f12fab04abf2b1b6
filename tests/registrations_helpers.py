"""Shared by the registration tests: an event (or a cycle) of IREV's agenda with
registrations open, and the form's POST."""

from agenda.models import AgendaPage
from newsletter.models import Profile

from .factories import EventPageFactory, EventSeriesPageFactory, OpeningFactory

IREV = "irev.localhost"


def irev_agenda(network_or_centre):
    centre = getattr(network_or_centre, "centres", None)
    home = centre["irev"].home_page if centre else network_or_centre.home_page
    return AgendaPage.objects.child_of(home).get()


def open_event(agenda, **opening):
    event = EventPageFactory(parent=agenda)
    return event, OpeningFactory(page=event, **opening)


def open_cycle(agenda, sessions=2, **opening):
    series = EventSeriesPageFactory(parent=agenda)
    events = [EventPageFactory(parent=series) for _ in range(sessions)]
    return series, events, OpeningFactory(page=series, **opening)


def form_data(email, **extra):
    data = {
        "email": email,
        "name": "Camille Martin",
        "organisation": "Ville de Roubaix",
        "profile": Profile.objects.order_by("sort_order").first().pk,
        "territory": "Nord",
        "accessibility": "",
        "website": "",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def register(client, opening, email, **extra):
    """The form's POST; the mails it queues on commit are queued (`run_tasks` sends)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/inscription/{opening.pk}/", form_data(email, **extra))
