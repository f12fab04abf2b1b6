"""The network on one install: 20 sites answering on their own host names."""

from django.test import Client

from wagtail.models import Site

import pytest

from centres.models import Centre, CentreHomePage
from demo.seed.data import network as network_data
from home.models import NationalHomePage

from .factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def test_one_site_per_centre_plus_the_national_portal():
    slugs = {entry["slug"] for entry in network_data()["centres"]}
    assert len(slugs) == 19
    assert Site.objects.count() == 20
    assert set(Centre.objects.values_list("slug", flat=True)) == slugs
    national = Site.objects.get(is_default_site=True)
    assert national.hostname == "localhost"
    assert isinstance(national.root_page.specific, NationalHomePage)
    for centre in Centre.objects.all():
        site = Site.objects.get(hostname=f"{centre.slug}.localhost")
        assert site.root_page_id == centre.home_page_id
        assert isinstance(site.root_page.specific, CentreHomePage)


@pytest.mark.parametrize("slug", [c["slug"] for c in network_data()["centres"]])
def test_each_centre_site_answers_on_its_host_with_its_identity(slug):
    centre = Centre.objects.get(slug=slug)
    response = Client().get("/", HTTP_HOST=f"{slug}.localhost")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{centre.name}</h1>" in html.replace("&#x27;", "'")
    assert centre.territory.replace("'", "&#x27;") in html
    assert '<html lang="fr">' in html


def test_national_portal_answers_on_localhost_with_port():
    # The dev server runs on :8000; the site still matches by host name.
    response = Client().get("/", HTTP_HOST="localhost:8000")
    assert response.status_code == 200
    assert "Réseau national des centres de ressources" in response.content.decode()


def test_unknown_path_is_a_french_404():
    response = Client().get("/nexiste-pas/", HTTP_HOST="irev.localhost")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_cached_navigation_and_footer_follow_publishing(network):
    """Header and footer are cached per content version: publishing a page in the menu
    or changing the site's identity shows at once."""
    from centres.models import SiteIdentity

    client = Client(HTTP_HOST="irev.localhost")
    assert "Nos missions" not in client.get("/").content.decode()
    page = ContentPageFactory(
        parent=network.centres["irev"].home_page,
        title="Nos missions",
        slug="nos-missions",
        show_in_menus=True,
    )
    html = client.get("/").content.decode()
    assert 'href="/nos-missions/"' in html
    page.unpublish()
    assert 'href="/nos-missions/"' not in client.get("/").content.decode()
    identity = SiteIdentity.objects.get(site__hostname="irev.localhost")
    identity.phone = "03 20 00 00 00"
    identity.save()
    assert "03 20 00 00 00" in client.get("/le-centre/").content.decode()
