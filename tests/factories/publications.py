"""The resource library: libraries, publications, working groups, collective
contributions, partners, news, and the managed list of resource kinds."""

from django.utils import timezone
from django.utils.text import slugify

import factory
from factory.django import DjangoModelFactory

from publications.models import (
    CollectiveContributionPage,
    ContributionIndexPage,
    LibraryPage,
    NewsIndexPage,
    NewsPage,
    Partner,
    PartnersPage,
    PublicationPage,
    ResourceKind,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)

from .pages import PortalPageFactory

NATIONAL_HOME = "tests.factories.home.NationalHomePageFactory"
CENTRE_HOME = "tests.factories.centres.CentreHomePageFactory"


class ResourceKindFactory(DjangoModelFactory):
    class Meta:
        model = ResourceKind

    name = factory.Sequence(lambda n: f"Nature d'essai {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class LibraryPageFactory(PortalPageFactory):
    """`/ressources/` of a site (one per site: the seeded sites have theirs)."""

    class Meta:
        model = LibraryPage

    parent = factory.SubFactory(CENTRE_HOME)
    title = "Ressources"
    slug = "ressources"
    introduction = "<p>Les publications du centre.</p>"


class PublicationPageFactory(PortalPageFactory):
    """A publication dated today; under a working group's page it is the group's
    (`working_group` is derived from the tree when it is saved)."""

    class Meta:
        model = PublicationPage

    parent = factory.SubFactory(LibraryPageFactory)
    title = factory.Sequence(lambda n: f"Publication d'essai {n}")
    publication_date = factory.LazyFunction(timezone.localdate)
    summary = "Une synthèse des travaux menés avec les acteurs des quartiers."


class WorkingGroupIndexPageFactory(PortalPageFactory):
    """`/groupes-de-travail/` (`max_count = 1`: the seeded network has it)."""

    class Meta:
        model = WorkingGroupIndexPage

    parent = factory.SubFactory(NATIONAL_HOME)
    title = factory.Sequence(lambda n: f"Groupes de travail {n}")
    introduction = "<p>Les groupes de travail du réseau.</p>"


class WorkingGroupPageFactory(PortalPageFactory):
    class Meta:
        model = WorkingGroupPage

    parent = factory.SubFactory(WorkingGroupIndexPageFactory)
    title = factory.Sequence(lambda n: f"Groupe de travail d'essai {n}")
    introduction = "<p>Un groupe de travail thématique du réseau.</p>"


class ContributionIndexPageFactory(PortalPageFactory):
    """`/contributions/` (`max_count = 1`: the seeded network has it)."""

    class Meta:
        model = ContributionIndexPage

    parent = factory.SubFactory(NATIONAL_HOME)
    title = factory.Sequence(lambda n: f"Contributions collectives {n}")


class CollectiveContributionPageFactory(PortalPageFactory):
    class Meta:
        model = CollectiveContributionPage

    parent = factory.SubFactory(ContributionIndexPageFactory)
    title = factory.Sequence(lambda n: f"Contribution collective d'essai {n}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    question = "Comment les centres accompagnent-ils les conseils citoyens ?"


class PartnersPageFactory(PortalPageFactory):
    """`/partenaires/` (`max_count = 1`: the seeded network has it)."""

    class Meta:
        model = PartnersPage

    parent = factory.SubFactory(NATIONAL_HOME)
    title = factory.Sequence(lambda n: f"Partenaires {n}")


class PartnerFactory(DjangoModelFactory):
    """A partner organisation (snippet). `centres=[...]`, `working_groups=[...]` link it;
    the links of a cluster are written when it is saved, so they are passed to the
    constructor here rather than added afterwards."""

    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire d'essai {n}")
    kind = Partner.Kind.OTHER
    url = factory.LazyAttribute(lambda o: f"https://{slugify(o.name)}.example.org")


class NewsIndexPageFactory(PortalPageFactory):
    """`/actualite/` of a site (one per site: the seeded sites have theirs)."""

    class Meta:
        model = NewsIndexPage

    parent = factory.SubFactory(CENTRE_HOME)
    title = "Actualité"
    slug = "actualite"


class NewsPageFactory(PortalPageFactory):
    class Meta:
        model = NewsPage

    parent = factory.SubFactory(NewsIndexPageFactory)
    title = factory.Sequence(lambda n: f"Actualité d'essai {n}")
    date = factory.LazyFunction(timezone.localdate)
    summary = "Retour sur une journée d'échanges du réseau."
