"""Sharing and metadata (issue #21): Open Graph and Twitter card tags on every public
page type, with a description even when the editor gave none and an image (the page's
own, else the site's logo, else the portal's default picture); a favicon; breadcrumbs."""

import re
from html import unescape

from django.test import Client

from wagtail.models import Page

import pytest

from agenda.models import AgendaPage, EventPage, EventSeriesPage
from centres.models import CentreHomePage, CentreIndexPage, SiteIdentity
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

pytestmark = pytest.mark.django_db

# Every public page type: one live page of each is fetched on its own site.
PAGE_TYPES = [
    NationalHomePage,
    CentreHomePage,
    CentreIndexPage,
    ContentPage,
    ThemeIndexPage,
    ThemePage,
    AccessibilityStatementPage,
    FormPage,
    AgendaPage,
    EventPage,
    EventSeriesPage,
    LibraryPage,
    PublicationPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
    ContributionIndexPage,
    CollectiveContributionPage,
    PartnersPage,
    NewsIndexPage,
    NewsPage,
    OfferIndexPage,
    OfferPage,
]


def meta(html) -> dict:
    found = re.findall(
        r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)">', html
    )
    return {name: unescape(value) for name, value in found}


def fetch(page):
    site = page.get_site()
    return Client(HTTP_HOST=site.hostname).get(page.url_path[len(site.root_page.url_path) - 1 :])


def test_every_page_type_is_a_public_page_type_listed_here():
    from wagtail.models import get_page_models

    public = {model for model in get_page_models() if model is not Page}
    public = {m for m in public if m._meta.app_label not in ("bench", "wagtailcore")}
    assert public == set(PAGE_TYPES)


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_open_graph_and_twitter_tags_on_every_public_page_type(network, model):
    page = model.objects.live().public().filter(locale__language_code="fr").first()
    assert page is not None, model
    response = fetch(page)
    assert response.status_code == 200, page.url_path
    html = response.content.decode()
    tags = meta(html)
    assert tags["og:title"] == (page.seo_title or page.title)
    assert tags["og:description"].strip(), "a description even when the editor gave none"
    assert tags["og:url"] == page.full_url
    assert tags["og:site_name"]
    assert tags["og:image"].startswith("http://"), tags["og:image"]
    assert tags["og:image:alt"]
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    assert '<meta name="description" content="' in html
    assert 'rel="icon"' in html
    if page.depth > 2:  # not a site's home: its breadcrumbs
        trail = re.search(r'<nav class="breadcrumbs" aria-label="[^"]+">.*?</nav>', html, re.S)
        assert trail, page.url_path
        assert 'aria-current="page"' in trail.group(0)


def test_the_editor_s_description_wins_then_the_page_s_summary(network):
    news = NewsPage.objects.live().first()
    news.summary = "Résumé de l’actualité."
    news.search_description = ""
    news.save_revision().publish()
    assert meta(fetch(news).content.decode())["og:description"] == "Résumé de l’actualité."
    news.search_description = "Ce que dit l’éditeur."
    news.save_revision().publish()
    assert meta(fetch(news).content.decode())["og:description"] == "Ce que dit l’éditeur."


def test_a_page_s_own_image_is_shared_as_a_rendition(network):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(
        title="Quartier", file=get_test_image_file(size=(1600, 900)), collection_id=1
    )
    news = NewsPage.objects.live().first()
    # The page's alternative text is the one shared (portal.covers: it lives on the page).
    news.image, news.image_alt = image, "Un quartier au printemps"
    news.save_revision().publish()
    tags = meta(fetch(news).content.decode())
    assert "/images/" in tags["og:image"] and tags["og:image:width"] == "1200"
    assert tags["og:image:alt"] == "Un quartier au printemps"


def test_without_an_image_the_default_picture_is_shared(network):
    page = ContentPage.objects.live().first()
    # Nor a logo: the seed gives every site one (whose file, in the tests' in-memory
    # storage, exists only in the process that seeded: without this, the result would
    # depend on the worker).
    identity = SiteIdentity.for_site(page.get_site())
    identity.logo = None
    identity.save()
    tags = meta(fetch(page).content.decode())
    assert tags["og:image"].endswith("/static/img/og-default.png")


def test_the_favicon_is_served(network):
    response = Client(HTTP_HOST="localhost").get("/favicon.ico")
    assert response.status_code in (200, 301, 302)
