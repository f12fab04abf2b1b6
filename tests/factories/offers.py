"""Job offers and calls: the `/offres/` listing of a site and the offers under it."""

from datetime import timedelta

from django.utils import timezone

import factory

from offers.models import OfferIndexPage, OfferKind, OfferPage

from .pages import PortalPageFactory

CENTRE_HOME = "tests.factories.centres.CentreHomePageFactory"


class OfferIndexPageFactory(PortalPageFactory):
    """`/offres/` of a site (one per site: the seeded sites have theirs)."""

    class Meta:
        model = OfferIndexPage

    parent = factory.SubFactory(CENTRE_HOME)
    title = "Offres et appels"
    slug = "offres"


class OfferPageFactory(PortalPageFactory):
    """A job offer open for another month."""

    class Meta:
        model = OfferPage

    parent = factory.SubFactory(OfferIndexPageFactory)
    title = factory.Sequence(lambda n: f"Offre d'essai {n}")
    kind = OfferKind.JOB
    organisation = "Ville de Roubaix"
    place = "Roubaix"
    contract = "CDD de 12 mois"
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    summary = "Un poste de chargé de mission au service des quartiers."
