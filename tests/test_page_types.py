"""Every page type: where it can and cannot be created, and that it renders."""

from django.test import Client

from wagtail.models import Page

import pytest

from centres.models import CentreHomePage, CentreIndexPage
from home.models import (
    AccessibilityStatementPage,
    ContentPage,
    FormPage,
    NationalHomePage,
    ThemeIndexPage,
    ThemePage,
)

from .factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def can_create_at(child, parent) -> bool:
    return (
        child.can_create_at(parent.specific) and child in parent.specific.allowed_subpage_models()
    )


@pytest.mark.parametrize(
    "child, parent_kind, allowed",
    [
        (ContentPage, "national", True),
        (ContentPage, "centre", True),
        (ContentPage, "content", True),
        (CentreIndexPage, "national", False),  # max_count = 1, already seeded
        (CentreIndexPage, "centre", False),
        (CentreHomePage, "national", False),
        (CentreHomePage, "root", True),
        (NationalHomePage, "root", False),  # one national portal
        (NationalHomePage, "centre", False),
        (CentreHomePage, "centre", False),
        (ThemeIndexPage, "national", False),  # one per site, already seeded
        (ThemeIndexPage, "centre", False),
        (ThemePage, "centre", False),  # under /thematiques/ only
        (AccessibilityStatementPage, "centre", False),  # one per site, already seeded
        (FormPage, "centre", True),
        (FormPage, "content", True),
    ],
)
def test_where_each_page_type_can_be_created(network, child, parent_kind, allowed):
    parents = {
        "national": network.national_home,
        "centre": network.centres["irev"].home_page,
        "content": network.centres["irev"].home_page.get_children().get(slug="le-centre"),
        "root": Page.get_first_root_node(),
    }
    assert can_create_at(child, parents[parent_kind]) is allowed


def test_centre_index_page_only_lives_on_the_national_site():
    assert CentreIndexPage.parent_page_types == ["home.NationalHomePage"]
    assert CentreIndexPage.objects.count() == 1


@pytest.mark.parametrize(
    "host, path, page_type",
    [
        ("localhost", "/", NationalHomePage),
        ("localhost", "/les-crpv/", CentreIndexPage),
        ("localhost", "/le-reseau/", ContentPage),
        ("localhost", "/mentions-legales/", ContentPage),
        ("irev.localhost", "/", CentreHomePage),
        ("irev.localhost", "/le-centre/", ContentPage),
        ("crpv-mayotte.localhost", "/accessibilite/", AccessibilityStatementPage),
        ("localhost", "/accessibilite/", AccessibilityStatementPage),
        ("localhost", "/thematiques/", ThemeIndexPage),
        ("localhost", "/thematiques/egalite-femmes-hommes/", ThemePage),
        ("irev.localhost", "/thematiques/", ThemeIndexPage),
        ("irev.localhost", "/thematiques/sante/", ThemePage),
        ("irev.localhost", "/contact/", FormPage),
        ("irev.localhost", "/demande-de-documentation/", FormPage),
        ("crpv-mayotte.localhost", "/signaler-un-probleme-d-accessibilite/", FormPage),
    ],
)
def test_every_page_type_renders(host, path, page_type):
    response = Client().get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert isinstance(response.context["page"].specific, page_type)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'href="#contenu"' in html and 'id="contenu"' in html


def test_content_page_body_renders_headings_and_documents(network):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document

    document = Document.objects.create(
        title="Synthèse 2023",
        file=ContentFile(b"%PDF-1.4 demo", name="synthese.pdf"),
        collection=network.centres["irev"].collection,
    )
    ContentPageFactory(
        parent=network.centres["irev"].home_page,
        title="Ressources",
        slug="ressources-test",
        body=[
            {"type": "heading", "value": {"text": "Nos travaux", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Un paragraphe.</p>"},
            {"type": "document", "value": {"document": document.pk, "title": ""}},
        ],
    )
    html = Client().get("/ressources-test/", HTTP_HOST="irev.localhost").content.decode()
    assert "<h2>Nos travaux</h2>" in html
    assert "Synthèse 2023" in html and "(PDF" in html
