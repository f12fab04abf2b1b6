"""Events, series, agendas and the managed list of event formats."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

import factory
from factory.django import DjangoModelFactory

from agenda.models import AgendaPage, Attendance, EventFormat, EventPage, EventSeriesPage
from centres.ownership import centre_for_page

from .pages import PortalPageFactory


class EventFormatFactory(DjangoModelFactory):
    class Meta:
        model = EventFormat

    name = factory.Sequence(lambda n: f"Format d'essai {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class AgendaPageFactory(PortalPageFactory):
    """`/agenda/` of a site (one per site: the seeded sites have theirs)."""

    class Meta:
        model = AgendaPage

    parent = factory.SubFactory("tests.factories.centres.CentreHomePageFactory")
    title = "Agenda"
    slug = "agenda"
    introduction = "<p>Les rencontres, formations et webinaires du centre.</p>"


class EventSeriesPageFactory(PortalPageFactory):
    class Meta:
        model = EventSeriesPage

    parent = factory.SubFactory(AgendaPageFactory)
    title = factory.Sequence(lambda n: f"Cycle de webinaires {n}")
    introduction = "<p>Un cycle de séances sur un même thème.</p>"


def _owning_centres(event):
    # As the admin's form does for a new event: its centre ticked as organiser.
    centre = centre_for_page(event.parent) if event.parent and event.parent.path else None
    return [centre] if centre else []


class EventPageFactory(PortalPageFactory):
    """An upcoming whole-day event in person, organised by the centre that owns its
    parent. Its time zone is left to the model (the owning centre's, as in the admin);
    `starts_at`/`ends_at` are computed by `agenda.timing` when it is saved. An online or
    hybrid event gets a connection link, an in-person or hybrid one a city."""

    class Meta:
        model = EventPage

    parent = factory.SubFactory(AgendaPageFactory)
    title = factory.Sequence(lambda n: f"Rencontre d'essai {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    attendance = Attendance.IN_PERSON
    city = factory.LazyAttribute(lambda o: "" if o.attendance == Attendance.ONLINE else "Lyon")
    online_url = factory.LazyAttribute(
        lambda o: "" if o.attendance == Attendance.IN_PERSON else "https://visio.example.org/salle"
    )
    summary = "Une rencontre d'échange entre professionnels de la politique de la ville."
    organisers = factory.LazyAttribute(_owning_centres)
