"""The centre registry: who owns what, the network map, each site's identity."""

import re

from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.models import Collection, Page

import pytest

from centres.colours import contrast_with_white
from centres.models import Centre, SiteIdentity
from centres.ownership import centre_for_collection, centre_for_document, centre_for_page
from demo.seed.data import ACCENTS
from home.models import ContentPage

pytestmark = pytest.mark.django_db


def test_a_page_belongs_to_the_centre_whose_tree_holds_it(network):
    irev = network.centres["irev"]
    deep = irev.home_page.get_children().get(slug="le-centre")
    child = ContentPage(title="Équipe", slug="equipe")
    deep.add_child(instance=child)
    assert centre_for_page(irev.home_page) == irev
    assert centre_for_page(deep) == irev
    assert centre_for_page(child) == irev
    assert centre_for_page(network.centres["oriv"].home_page) == network.centres["oriv"]
    assert centre_for_page(network.national_home) is None
    assert centre_for_page(Page.get_first_root_node()) is None


def test_ownership_is_answered_in_one_query(network):
    page = network.centres["crcsur"].home_page.get_children().first()
    with CaptureQueriesContext(connection) as queries:
        assert centre_for_page(page).slug == "crcsur"
    assert len(queries) == 1


def test_documents_and_images_belong_to_the_centre_of_their_collection(network):
    oriv = network.centres["oriv"]
    sub = oriv.collection.add_child(name="Archives ORIV")
    document = Document.objects.create(
        title="Rapport", file=ContentFile(b"x", name="rapport.pdf"), collection=sub
    )
    assert centre_for_document(document) == oriv
    assert centre_for_collection(oriv.collection) == oriv
    national = Collection.objects.get(name="Réseau national")
    assert centre_for_collection(national) is None


def test_les_crpv_lists_every_centre_with_a_link_to_its_site():
    response = Client().get("/les-crpv/", HTTP_HOST="localhost")
    html = response.content.decode()
    for centre in Centre.objects.all():
        assert f'href="http://{centre.slug}.localhost/"' in html
    assert "Les 19 centres" in html


def test_the_map_places_every_centre_including_overseas():
    response = Client().get("/les-crpv/", HTTP_HOST="localhost")
    svg = re.search(r"<svg.*?</svg>", response.content.decode(), re.S).group(0)
    assert svg.count('class="map-marker"') == 19
    for territory in [
        "La Réunion",
        "Guadeloupe",
        "Martinique",
        "Guyane",
        "Mayotte",
        "Île-de-France",
    ]:
        assert f">{territory}</text>" in svg
    assert "<title" in svg  # an accessible name for the figure


def test_les_crpv_queries_do_not_grow_with_the_number_of_centres(network):
    client = Client(HTTP_HOST="localhost")
    client.get("/les-crpv/")  # warm the site-root cache
    with CaptureQueriesContext(connection) as before:
        client.get("/les-crpv/")
    Centre.objects.create(
        name="Centre test",
        slug="centre-test",
        long_name="Centre test",
        territory="Test",
        latitude=46.0,
        longitude=2.0,
    )
    with CaptureQueriesContext(connection) as after:
        client.get("/les-crpv/")
    assert len(after) == len(before)


@pytest.mark.parametrize("colour", ACCENTS)
def test_demo_accent_colours_contrast_with_white_text(colour):
    assert contrast_with_white(colour) >= 4.5


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#767676"), 2) == 4.54  # the classic AA threshold grey
    assert round(contrast_with_white("#ffffff"), 1) == 1.0


def form_data(form, **changes):
    """What a browser would post back: every field's rendered value, then the changes."""
    data = {}
    for name, field in form.fields.items():
        value = field.widget.format_value(form[name].value())
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def test_site_identity_refuses_a_pale_accent_colour_with_a_clear_message(network):
    site = network.centres["irev"].site
    client = network.client_for("editeur-irev", host="irev.localhost")
    url = reverse("wagtailsettings:edit", args=["centres", "siteidentity", site.pk])
    before = SiteIdentity.for_site(site).accent_colour
    form = client.get(url).context["form"]
    response = client.post(url, form_data(form, accent_colour="#ffff00"))
    assert response.status_code == 200
    assert "Contraste insuffisant" in response.content.decode()
    assert SiteIdentity.objects.get(site=site).accent_colour == before


def test_site_identity_change_shows_on_the_centre_site_only(network):
    site = network.centres["irev"].site
    client = network.client_for("editeur-irev", host="irev.localhost")
    url = reverse("wagtailsettings:edit", args=["centres", "siteidentity", site.pk])
    form = client.get(url).context["form"]
    response = client.post(
        url, form_data(form, accent_colour="#5b3f99", tagline="Nouvelle accroche IREV")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        "Nouvelle accroche IREV" in Client().get("/", HTTP_HOST="irev.localhost").content.decode()
    )
    assert (
        "Nouvelle accroche IREV"
        not in Client().get("/", HTTP_HOST="oriv.localhost").content.decode()
    )
