"""Details of a centre's site (issue #21) a visitor relies on: an offer's document says
its format and size before the download, a centre's banner carries its alternative
text, and no page uses the State's design system (DSFR is reserved to State sites)."""

import re
from html import unescape

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.utils import translation

from wagtail.documents import get_document_model
from wagtail.models import Site

import pytest

from centres.models import SiteIdentity
from offers.models import OfferIndexPage, OfferPage

from .conftest import host_of
from .factories import OfferPageFactory

pytestmark = pytest.mark.django_db


def html_of(host, path):
    response = Client(HTTP_HOST=host).get(path)
    assert response.status_code == 200, (host, path, response.status_code)
    return unescape(response.content.decode())


def test_an_offer_s_document_shows_its_format_and_size(network):
    irev = network.centres["irev"]
    document = get_document_model()(title="Fiche de poste", collection=irev.collection)
    data = b"%PDF-1.4\n" + b"0" * 2300
    document.file.save("fiche-de-poste.pdf", ContentFile(data), save=False)
    document.file_size = len(data)
    document.save()
    offer = OfferPageFactory(
        parent=OfferIndexPage.objects.child_of(irev.home_page).get(),
        title="Chargé·e d’études",
        link="",
        document=document,
    )
    html = html_of("irev.localhost", f"/offres/{offer.slug}/")
    with translation.override("fr"):
        size = filesizeformat(len(data))
    item = re.search(
        r'<a href="[^"]+" download>Fiche de poste</a>\s*<span class="meta">([^<]+)<', html
    )
    assert item, "the document's download link"
    assert item.group(1) == f"(PDF, {size})"


def banner_of(html):
    banner = re.search(r'<[^>]*class="[^"]*site-banner[^"]*"[^>]*>.*?<img[^>]*>', html, re.S)
    assert banner, "the banner on the centre's home"
    return banner.group(0)


def test_a_centre_s_banner_carries_its_alternative_text(network):
    irev = network.centres["irev"]
    identity = SiteIdentity.for_site(Site.objects.get(root_page=irev.home_page))
    assert identity.banner is not None  # the demo gives IREV its banner
    # The demo's drawn skyline is decorative: an empty alternative, present (a screen
    # reader then skips the image rather than reading its file name).
    assert identity.banner_alt == ""
    assert 'alt=""' in banner_of(html_of(host_of(irev), "/"))
    # The text an editor gives is the image's alternative (an identity change bumps the
    # cached banner's version).
    identity.banner_alt = "Les toits de Lille au lever du soleil"
    identity.save()
    assert 'alt="Les toits de Lille au lever du soleil"' in banner_of(html_of(host_of(irev), "/"))


DSFR = re.compile(r"dsfr|\bfr-(header|footer|container|btn|grid-row|card)\b|marianne", re.I)


def test_no_page_uses_the_state_design_system(network):
    irev = network.centres["irev"]
    offer = OfferPage.objects.live().descendant_of(irev.home_page).first()
    pages = [
        ("localhost", "/"),
        (host_of(irev), "/"),
        (host_of(irev), "/agenda/"),
        (host_of(irev), "/ressources/"),
        (host_of(irev), offer.url_path[len(irev.home_page.url_path) - 1 :]),
        ("localhost", "/recherche/?q=sant%C3%A9"),
    ]
    for host, path in pages:
        found = DSFR.search(html_of(host, path))
        assert found is None, (host, path, found and found.group(0))
    with open(finders.find("css/portal.css"), encoding="utf-8") as css:
        assert DSFR.search(css.read()) is None
