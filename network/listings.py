"""What every site lists before anyone has published anything: the managed lists
(resource kinds, event formats), and the empty listing pages (library, news, agenda;
on the portal also contributions and partners), with the network's old `/publications/`
address redirected to the library."""

from django.utils.text import slugify

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from taggit.models import Tag

from agenda.formats import EventFormat
from agenda.models import AgendaPage
from home.models import ThemeIndexPage, ThemePage
from offers.models import OfferIndexPage
from publications.models import (
    ContributionIndexPage,
    LibraryPage,
    NewsIndexPage,
    PartnersPage,
    ResourceKind,
)

from .facts import network
from .pages import ensure_page


def _named_list(model, names):
    return {
        name: model.objects.get_or_create(
            slug=slugify(name), defaults={"name": name[:1].upper() + name[1:]}
        )[0]
        for name in names
    }


def ensure_kinds():
    return _named_list(ResourceKind, network()["resource_kinds_seen"])


def ensure_formats():
    return _named_list(EventFormat, network()["event_formats_seen"])


def ensure_library(home, report, **fields):
    return ensure_page(
        home, LibraryPage, "ressources", report, title="Ressources", show_in_menus=True, **fields
    )


def ensure_news_index(home, report):
    return ensure_page(
        home, NewsIndexPage, "actualite", report, title="Actualités", show_in_menus=True
    )


def ensure_offers(home, report, **fields):
    """`/offres/`: job offers, calls for projects and funding of a site."""
    return ensure_page(
        home,
        OfferIndexPage,
        "offres",
        report,
        title="Offres et appels",
        show_in_menus=True,
        **fields,
    )


def ensure_agenda(home, title, report):
    agenda = AgendaPage.objects.child_of(home).first()
    if agenda is None:
        agenda = AgendaPage(title=title, slug="agenda", show_in_menus=True)
        home.add_child(instance=agenda)
        agenda.save_revision().publish()
        report.created.append(f"agenda {agenda.url_path}")
    return agenda


def ensure_national_library(national_home, report):
    """The portal's library, and the network's old `/publications/` address to it."""
    library = ensure_library(
        national_home,
        report,
        introduction="<p>Les ressources des 19 centres et des groupes de travail du réseau.</p>",
    )
    Redirect.objects.get_or_create(
        site=Site.objects.get(root_page=national_home),
        old_path="/publications",
        defaults={"redirect_link": "/ressources/?kind=publication", "is_permanent": True},
    )
    return library


def ensure_contributions_index(national_home, report):
    return ensure_page(
        national_home,
        ContributionIndexPage,
        "contributions",
        report,
        title="Contributions collectives",
        show_in_menus=False,
        introduction="<p>Chaque année, le réseau adresse une contribution "
        "collective à l’Agence nationale de la cohésion des territoires.</p>",
    )


def ensure_partners_page(national_home, report):
    return ensure_page(
        national_home,
        PartnersPage,
        "partenaires",
        report,
        title="Partenaires",
        introduction="<p>Les organisations avec lesquelles travaillent le réseau, ses "
        "centres et ses groupes de travail.</p>",
    )


def ensure_theme(name):
    """The theme (a taggit tag shared by events, publications and news) named `name`."""
    # Slugged by taggit, as when an editor types the theme on a page: the listings'
    # `?theme=` filters use that slug.
    tag = Tag.objects.filter(name=name).first()
    return tag if tag is not None else Tag.objects.create(name=name)


def ensure_theme_index(home, report):
    return ensure_page(
        home, ThemeIndexPage, "thematiques", report, title="Thématiques", show_in_menus=True
    )


def ensure_theme_page(index, name, report, *, introduction=""):
    tag = ensure_theme(name)
    page = ThemePage.objects.child_of(index).filter(theme=tag).first()
    if page is None:
        page = ThemePage(
            title=name[:1].upper() + name[1:],
            slug=slugify(name),  # a plain address: /thematiques/egalite-femmes-hommes/
            theme=tag,
            introduction=introduction,
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        report.created.append(f"page {page.url_path}")
    return page


def ensure_national_themes(national_home, report):
    """`/thematiques/` of the portal, with a page for each of the network's themes."""
    index = ensure_theme_index(national_home, report)
    for name in network()["themes_seen"]:
        ensure_theme_page(
            index,
            name,
            report,
            introduction=f"<p>Ce que les centres du réseau publient et organisent sur le thème "
            f"«\u00a0{name}\u00a0».</p>",
        )
    return index
