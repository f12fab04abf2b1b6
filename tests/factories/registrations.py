"""Registrations: an opening on an event or a cycle, and registrants with their seats."""

import factory
from factory.django import DjangoModelFactory

from registrations.models import Opening, Registrant, Seat


class OpeningFactory(DjangoModelFactory):
    """Registrations open on `page` (an event or a cycle), every field asked."""

    class Meta:
        model = Opening

    page = factory.SubFactory("tests.factories.agenda.EventPageFactory")
    capacity = 30


class RegistrantFactory(DjangoModelFactory):
    class Meta:
        model = Registrant

    opening = factory.SubFactory(OpeningFactory)
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.fr")
    name = factory.Sequence(lambda n: f"Personne {n}")
    organisation = "Ville de Lyon"
    territory = "Rhône"


class SeatFactory(DjangoModelFactory):
    class Meta:
        model = Seat

    registrant = factory.SubFactory(RegistrantFactory)
    event = factory.LazyAttribute(lambda o: o.registrant.opening.page.specific)
    status = Seat.CONFIRMED
