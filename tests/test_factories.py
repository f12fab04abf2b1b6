"""The factories (tests/factories/): each makes a valid object, each page made under its
allowed parent in the seeded network is served at its address, and every page type can
be created exactly where the page-type rules say."""

from html import unescape

from django.test import Client

from wagtail.models import Page

import pytest

from agenda.models import AgendaPage, EventPage, EventSeriesPage
from centres.models import Centre, CentreHomePage, CentreIndexPage
from home.models import (
    AccessibilityStatementPage,
    ContentPage,
    FormPage,
    NationalHomePage,
    ThemeIndexPage,
    ThemePage,
)
from offers.models import OfferIndexPage, OfferPage
from publications.models import (
    CollectiveContributionPage,
    ContributionIndexPage,
    LibraryPage,
    NewsIndexPage,
    NewsPage,
    PartnersPage,
    PublicationPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)

from . import factories as f

pytestmark = pytest.mark.django_db


def irev_child(network, model):
    return model.objects.child_of(network.centres["irev"].home_page).get()


def national_child(network, model):
    return model.objects.child_of(network.national_home).get()


def new_centre_home(network):
    """A centre added now: its home page has none of the sections the seed adds."""
    return f.CentreFactory().home_page


# Where each page factory is put in the seeded network: the allowed parent, with room
# left (a section a site has once goes under a centre added for the test).
PLACES = {
    f.NationalHomePageFactory: lambda network: Page.get_first_root_node(),
    f.CentreHomePageFactory: lambda network: Page.get_first_root_node(),
    f.CentreIndexPageFactory: lambda network: network.national_home,
    f.ContentPageFactory: lambda network: network.centres["irev"].home_page,
    f.AgendaPageFactory: new_centre_home,
    f.EventSeriesPageFactory: lambda network: irev_child(network, AgendaPage),
    f.EventPageFactory: lambda network: irev_child(network, AgendaPage),
    f.LibraryPageFactory: new_centre_home,
    f.PublicationPageFactory: lambda network: irev_child(network, LibraryPage),
    f.WorkingGroupIndexPageFactory: lambda network: network.national_home,
    f.WorkingGroupPageFactory: lambda network: national_child(network, WorkingGroupIndexPage),
    f.ContributionIndexPageFactory: lambda network: network.national_home,
    f.CollectiveContributionPageFactory: lambda network: national_child(
        network, ContributionIndexPage
    ),
    f.PartnersPageFactory: lambda network: network.national_home,
    f.NewsIndexPageFactory: new_centre_home,
    f.NewsPageFactory: lambda network: irev_child(network, NewsIndexPage),
    f.OfferIndexPageFactory: new_centre_home,
    f.OfferPageFactory: lambda network: irev_child(network, OfferIndexPage),
    f.ThemeIndexPageFactory: new_centre_home,
    f.ThemePageFactory: lambda network: irev_child(network, ThemeIndexPage),
    f.AccessibilityStatementPageFactory: new_centre_home,
    f.FormPageFactory: lambda network: network.centres["irev"].home_page,
}
PAGE_FACTORIES = list(PLACES)


def factory_id(factory):
    return factory.__name__


def test_every_page_type_has_a_factory():
    from django.apps import apps

    ours = {"portal", "centres", "home", "agenda", "publications", "offers", "search", "showcase"}
    page_models = {
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model._meta.app_label in ours
    }
    assert page_models == {factory._meta.model for factory in PAGE_FACTORIES}


def place(factory, network):
    """The factory's page under its allowed parent, on a site of its own where it is a
    site's root."""
    page = factory(parent=PLACES[factory](network))
    if isinstance(page, NationalHomePage | CentreHomePage):
        f.SiteFactory(root_page=page)
        page = type(page).objects.get(pk=page.pk)  # the site's paths are cached on a page
    return page


@pytest.mark.parametrize("factory", PAGE_FACTORIES, ids=factory_id)
def test_a_page_factory_makes_a_valid_published_page(network, factory):
    page = place(factory, network)
    page.full_clean()
    assert type(page) is factory._meta.model
    assert page.live and page.live_revision_id and page.first_published_at
    assert not page.has_unpublished_changes


@pytest.mark.parametrize("factory", PAGE_FACTORIES, ids=factory_id)
def test_a_page_made_by_a_factory_is_served_at_its_address(network, factory):
    page = place(factory, network)
    site = page.get_site()
    path = page.get_url_parts()[2]
    response = Client(HTTP_HOST=site.hostname).get(path)
    assert response.status_code == 200, (site.hostname, path)
    assert response.context["page"].specific == page
    assert page.title in unescape(response.content.decode())


def test_a_draft_is_not_served(network):
    agenda = irev_child(network, AgendaPage)
    draft = f.EventPageFactory(parent=agenda, live=False)
    assert draft.latest_revision_id and not draft.live
    path = draft.get_url_parts()[2]
    assert Client(HTTP_HOST="irev.localhost").get(path).status_code == 404


def test_without_a_parent_a_page_factory_builds_its_own_branch(network):
    event = f.EventPageFactory()
    agenda = event.get_parent().specific
    assert isinstance(agenda, AgendaPage)
    assert isinstance(agenda.get_parent().specific, CentreHomePage)
    assert agenda.get_parent().get_parent().is_root()
    group = f.WorkingGroupPageFactory()
    assert isinstance(group.get_parent().get_parent().specific, NationalHomePage)


def test_an_event_takes_its_centre_time_zone_and_organiser(network):
    from datetime import date, time

    from agenda.models import Attendance

    reunion = Centre.objects.get(time_zone="Indian/Reunion")
    agenda = AgendaPage.objects.child_of(reunion.home_page).get()
    event = f.EventPageFactory(
        parent=agenda,
        start_date=date(2031, 3, 2),
        start_time=time(9, 0),
        end_time=time(11, 0),
        attendance=Attendance.HYBRID,
        tags=["emploi"],
    )
    assert event.time_zone == "Indian/Reunion"
    assert event.starts_at.isoformat() == "2031-03-02T05:00:00+00:00"  # 09:00 at UTC+4
    assert event.ends_at.isoformat() == "2031-03-02T07:00:00+00:00"
    assert list(event.organisers.all()) == [reunion]
    assert event.city and event.online_url  # hybrid: a place and a link
    assert [tag.name for tag in event.tags.all()] == ["emploi"]
    online = f.EventPageFactory(parent=agenda, attendance=Attendance.ONLINE)
    assert online.online_url and not online.city
    national = f.EventPageFactory(parent=national_child(network, AgendaPage))
    assert list(national.organisers.all()) == []


def test_a_publication_in_a_group_space_is_the_group_s(network):
    group = WorkingGroupPage.objects.get(slug="sante")
    publication = f.PublicationPageFactory(parent=group)
    assert publication.working_group == group


# --- snippets, the registry and settings -------------------------------------------


def test_centre_factory_provisions_a_centre_like_the_admin(network):
    centre = f.CentreFactory(time_zone="America/Cayenne")
    centre.full_clean()
    site = centre.site
    assert site.hostname == f"{centre.slug}.localhost"
    assert isinstance(centre.home_page.specific, CentreHomePage)
    assert centre.collection.name == f"Centre · {centre.name}"
    assert centre.editors_group is not None
    response = Client(HTTP_HOST=site.hostname).get("/")
    assert response.status_code == 200
    assert f"<h1>{centre.name}</h1>" in unescape(response.content.decode())


def test_site_identity_factory_shows_on_its_site(network):
    identity = f.SiteIdentityFactory()
    identity.full_clean()
    response = Client(HTTP_HOST=identity.site.hostname).get("/")
    assert response.status_code == 200
    assert identity.tagline in unescape(response.content.decode())


def test_event_format_factory_is_offered_in_the_agenda_filters(network):
    event_format = f.EventFormatFactory()
    event_format.full_clean()
    event = f.EventPageFactory(parent=irev_child(network, AgendaPage), event_format=event_format)
    response = Client(HTTP_HOST="irev.localhost").get(f"/agenda/?format={event_format.slug}")
    assert response.status_code == 200
    assert event.title in unescape(response.content.decode())


def test_resource_kind_factory_filters_the_library(network):
    kind = f.ResourceKindFactory()
    kind.full_clean()
    publication = f.PublicationPageFactory(parent=irev_child(network, LibraryPage), kind=kind)
    response = Client(HTTP_HOST="irev.localhost").get(f"/ressources/?kind={kind.slug}")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert publication.title in html and kind.name in html


def test_partner_factory_shows_on_the_partners_page(network):
    partner = f.PartnerFactory(
        centres=[network.centres["oriv"]],
        working_groups=[WorkingGroupPage.objects.get(slug="sante")],
    )
    partner.full_clean()
    assert list(partner.centres.all()) == [network.centres["oriv"]]
    html = unescape(Client(HTTP_HOST="localhost").get("/partenaires/").content.decode())
    card = html[html.index(f">{partner.name}<") :]
    assert "Centres\u00a0: ORIV" in card[: card.index("</li>")]


def test_search_promotion_factory_pins_a_page_of_its_site(network):
    promotion = f.SearchPromotionFactory()
    promotion.full_clean()
    assert promotion.page.get_site() == promotion.site
    seeded = f.SearchPromotionFactory(
        site=network.national_site,
        page=national_child(network, PartnersPage),
        query="Réseau Égalité",
    )
    assert seeded.query == "reseau egalite"  # stored as it is matched
    response = Client(HTTP_HOST="localhost").get("/recherche/", {"q": "réseau égalité"})
    assert response.status_code == 200
    assert seeded.description in unescape(response.content.decode())


# --- where each page type can be created ---------------------------------------------


def parents(network):
    """Every kind of parent of the seeded network, and a centre added now."""
    irev = network.centres["irev"].home_page
    irev_agenda = irev_child(network, AgendaPage)
    series = f.EventSeriesPageFactory(parent=irev_agenda)
    group = WorkingGroupPage.objects.get(slug="sante")
    return {
        "root": Page.get_first_root_node(),
        "national": network.national_home,
        "centre": irev,
        "new_centre": new_centre_home(network),
        "content": irev.get_children().get(slug="le-centre"),
        "centre_index": national_child(network, CentreIndexPage),
        "national_agenda": national_child(network, AgendaPage),
        "centre_agenda": irev_agenda,
        "series": series,
        "event": f.EventPageFactory(parent=series),
        "national_library": national_child(network, LibraryPage),
        "centre_library": irev_child(network, LibraryPage),
        "publication": PublicationPage.objects.live().first(),
        "group_index": national_child(network, WorkingGroupIndexPage),
        "group": group,
        "contribution_index": national_child(network, ContributionIndexPage),
        "contribution": CollectiveContributionPage.objects.first(),
        "partners": national_child(network, PartnersPage),
        "national_news": national_child(network, NewsIndexPage),
        "centre_news": irev_child(network, NewsIndexPage),
        "news": NewsPage.objects.first(),
        "national_offers": national_child(network, OfferIndexPage),
        "centre_offers": irev_child(network, OfferIndexPage),
        "offer": OfferPage.objects.first(),
        "centre_themes": irev_child(network, ThemeIndexPage),
    }


# Written out by hand from the product's rules, not read from the models: one national
# portal; one `/les-crpv/`, group list, contribution list and partners page; one agenda,
# library and news list per site (a centre added now has none yet); events in agendas,
# series and group spaces; series in agendas and group spaces (a group's cycle of
# webinars); publications in libraries and group spaces.
WHERE = {
    NationalHomePage: set(),
    CentreHomePage: {"root"},
    CentreIndexPage: set(),
    ContentPage: {"national", "centre", "new_centre", "content"},
    AgendaPage: {"new_centre"},
    EventSeriesPage: {"national_agenda", "centre_agenda", "group"},
    EventPage: {"national_agenda", "centre_agenda", "series", "group"},
    LibraryPage: {"new_centre"},
    PublicationPage: {"national_library", "centre_library", "group"},
    WorkingGroupIndexPage: set(),
    WorkingGroupPage: {"group_index"},
    ContributionIndexPage: set(),
    CollectiveContributionPage: {"contribution_index"},
    PartnersPage: set(),
    NewsIndexPage: {"new_centre"},
    NewsPage: {"national_news", "centre_news"},
    OfferIndexPage: {"new_centre"},
    OfferPage: {"national_offers", "centre_offers"},
    # Issue #21: one `/thematiques/` and one accessibility statement per site (the seed
    # gives every site both), theme pages under `/thematiques/`, forms on any site.
    ThemeIndexPage: {"new_centre"},
    ThemePage: {"centre_themes"},
    AccessibilityStatementPage: {"new_centre"},
    FormPage: {"national", "centre", "new_centre", "content"},
}


def can_create_at(model, parent) -> bool:
    parent = parent.specific
    return model.can_create_at(parent) and model in parent.allowed_subpage_models()


@pytest.mark.parametrize("factory", PAGE_FACTORIES, ids=factory_id)
def test_each_page_type_can_be_created_only_where_the_rules_say(network, factory):
    model = factory._meta.model
    allowed = {kind for kind, parent in parents(network).items() if can_create_at(model, parent)}
    assert allowed == WHERE[model]
