"""What search engines read, per site: robots.txt pointing at the site's own sitemap,
a sitemap of that site's pages only, canonical addresses, and the legal pages every
site has (legal notice, personal data, RGAA accessibility statement)."""

import xml.etree.ElementTree as ET

from django.test import Client

import pytest

from centres.models import SiteIdentity

from .conftest import host_of

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(host):
    response = Client(HTTP_HOST=host).get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)]


@pytest.mark.parametrize("host", ["localhost", "irev.localhost"])
def test_robots_txt_points_to_the_sites_own_sitemap(host):
    response = Client(HTTP_HOST=host).get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: http://{host}/sitemap.xml" in lines
    assert "Disallow: /" not in lines


def test_a_staging_installation_asks_not_to_be_indexed(settings):
    settings.ROBOTS_DISALLOW_ALL = True
    lines = Client().get("/robots.txt").content.decode().splitlines()
    assert lines == ["User-agent: *", "Disallow: /"]


def test_each_sitemap_lists_its_own_sites_pages_only(network):
    national = sitemap_urls("localhost")
    irev = sitemap_urls(host_of(network.centres["irev"]))
    assert "http://localhost/le-reseau/" in national
    assert "http://localhost/agenda/" in national
    assert "http://irev.localhost/le-centre/" in irev
    assert all(url.startswith("http://localhost/") for url in national)
    assert all(url.startswith("http://irev.localhost/") for url in irev)


def test_unpublished_pages_are_not_in_the_sitemap(network):
    page = network.centres["irev"].home_page.get_children().get(slug="le-centre")
    page.specific.unpublish()
    assert "http://irev.localhost/le-centre/" not in sitemap_urls("irev.localhost")


def test_pages_name_their_canonical_address(network):
    body = Client(HTTP_HOST="irev.localhost").get("/le-centre/?utm_source=lettre").content.decode()
    assert '<link rel="canonical" href="http://irev.localhost/le-centre/">' in body


def test_every_site_links_its_three_legal_pages_in_the_footer(network):
    for identity in SiteIdentity.objects.select_related("site"):
        host = identity.site.hostname
        pages = identity.legal_pages
        assert [page.slug for page in pages] == [
            "mentions-legales",
            "donnees-personnelles",
            "accessibilite",
        ], host
        body = Client(HTTP_HOST=host).get("/").content.decode()
        for page in pages:
            path = page.relative_url(identity.site)
            assert f'href="{path}"' in body, (host, path)
            assert Client(HTTP_HOST=host).get(path).status_code == 200
