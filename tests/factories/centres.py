"""Centres (the registry, provisioned like a centre added in the admin), their home
pages, `/les-crpv/`, sites and their identity settings."""

from django.utils.text import slugify

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from centres.models import Centre, CentreHomePage, CentreIndexPage, SiteIdentity
from centres.provisioning import provision_centre

from .pages import ROOT, PortalPageFactory


class CentreHomePageFactory(PortalPageFactory):
    """A centre's home page alone, under the root. `CentreFactory` gives it its centre,
    site, collection and editors, as the admin does."""

    class Meta:
        model = CentreHomePage

    parent = ROOT
    title = factory.Sequence(lambda n: f"Centre d'essai {n}")
    introduction = "<p>Centre de ressources au service des acteurs de la politique de la ville.</p>"


class CentreIndexPageFactory(PortalPageFactory):
    """`/les-crpv/`: once on the national site (`max_count = 1`), which the seed has."""

    class Meta:
        model = CentreIndexPage

    parent = factory.SubFactory("tests.factories.home.NationalHomePageFactory")
    title = factory.Sequence(lambda n: f"Les centres {n}")
    introduction = "<p>Les 19 centres de ressources du réseau.</p>"


class CentreFactory(DjangoModelFactory):
    """A centre of the registry with everything it publishes with (home page, site on
    `<slug>.<PORTAL_DOMAIN>`, collection, editors group, identity), given by
    `centres.provisioning` as when the coordinator adds a centre. `provision=False`
    leaves the bare record with its home page."""

    class Meta:
        model = Centre
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"CRPV d'essai {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    long_name = factory.LazyAttribute(
        lambda o: f"Centre de ressources politique de la ville {o.name}"
    )
    territory = "Auvergne-Rhône-Alpes"
    city = "Lyon"
    time_zone = "Europe/Paris"
    contact_email = factory.LazyAttribute(lambda o: f"contact@{o.slug}.example.org")
    home_page = factory.SubFactory(
        CentreHomePageFactory,
        title=factory.SelfAttribute("..name"),
        slug=factory.SelfAttribute("..slug"),
    )

    @factory.post_generation
    def provision(centre, create, extracted, **kwargs):
        if create and extracted is not False:
            provision_centre(centre)


class SiteFactory(wagtail_factories.SiteFactory):
    """A site on its own host name under `.localhost` (which the test settings allow),
    rooted by default at a new centre home page."""

    hostname = factory.Sequence(lambda n: f"site-essai-{n}.localhost")
    port = 80
    site_name = factory.Sequence(lambda n: f"Site d'essai {n}")
    root_page = factory.SubFactory(CentreHomePageFactory)


class SiteIdentityFactory(DjangoModelFactory):
    """A site's identity settings (a site has one; `CentreFactory` makes it already)."""

    class Meta:
        model = SiteIdentity

    site = factory.SubFactory(SiteFactory)
    accent_colour = "#1d4f91"  # white text on it passes WCAG's 4.5:1 (clean() checks)
    tagline = factory.Sequence(lambda n: f"Accroche du site d'essai {n}")
    contact_email = "contact@essai.example.org"
