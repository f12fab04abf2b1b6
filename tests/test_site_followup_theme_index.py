"""`/thematiques/` on every site (issue #21 follow-up): the bootstrap gives the portal a
page per theme of the network and each centre an index; the demo gives each centre
three theme pages. Every one of the 20 sites answers and lists its own; an index with
no theme page says so."""

from wagtail.models import Site

import pytest

from centres.models import Centre
from home.models import ThemeIndexPage, ThemePage

from .test_agenda_helpers import fetch

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_every_site_s_theme_index_answers_and_lists_its_own_theme_pages(network):
    sites = list(Site.objects.select_related("root_page"))
    assert len(sites) == 20
    centre_homes = set(Centre.objects.values_list("home_page_id", flat=True))
    assert len(centre_homes) == 19
    for site in sites:
        index = ThemeIndexPage.objects.child_of(site.root_page).get()
        pages = list(ThemePage.objects.child_of(index).live())
        # The demo: three per centre; the portal: one per theme of the network.
        assert len(pages) == (3 if site.root_page_id in centre_homes else 15), site.hostname
        html = main_of(fetch(f"http://{site.hostname}/thematiques/"))
        for page in pages:
            assert f'href="{page.relative_url(site)}">{page.title}</a>' in html, (
                site.hostname,
                page.title,
            )
        # Another site's theme pages are not listed here.
        assert html.count('class="card theme-card"') == len(pages), site.hostname
        assert "Aucune thématique" not in html


def test_a_centre_s_theme_index_without_theme_pages_says_so(network):
    crcsur = network.centres["crcsur"]
    index = ThemeIndexPage.objects.child_of(crcsur.home_page).get()
    for page in ThemePage.objects.child_of(index).live():
        page.unpublish()
    html = main_of(fetch("http://crcsur.localhost/thematiques/"))
    assert "<h1>Thématiques</h1>" in html
    assert "Aucune thématique pour l’instant." in html
    assert "theme-card" not in html
