"""Theme pages (issue #21 follow-up): the related working group the editor chooses wins
over the fallback (the group that publishes most on the theme), on the rendered page."""

import re

import pytest

from home.models import ThemeIndexPage, ThemePage
from publications.models import WorkingGroupPage

from .test_agenda_helpers import fetch

pytestmark = pytest.mark.django_db

GROUP_SECTION = re.compile(
    r'<section[^>]*class="home-section home-section--working-group">(.*?)</section>', re.S
)


def group_section(url) -> str:
    response = fetch(url)
    assert response.status_code == 200, url
    (section,) = GROUP_SECTION.findall(response.content.decode())
    return section


def group_link(section) -> tuple[str, str]:
    (link,) = re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)
    return link


@pytest.mark.parametrize(
    "site, url",
    [
        ("irev", "http://irev.localhost/thematiques/sante/"),
        ("national", "http://localhost/thematiques/sante/"),
    ],
)
def test_the_editor_s_related_group_wins_over_the_group_that_publishes_most(network, site, url):
    home = network.national_home if site == "national" else network.centres[site].home_page
    index = ThemeIndexPage.objects.child_of(home).get()
    page = ThemePage.objects.child_of(index).live().get(slug="sante")
    assert page.related_group_id is None
    # Left empty: the group with the most publications on the theme.
    fallback_url, fallback_title = group_link(group_section(url))
    assert fallback_title == "Santé"
    chosen = WorkingGroupPage.objects.live().exclude(title=fallback_title).order_by("title")[0]

    # The editor chooses another group and publishes, as in the admin.
    page.related_group = chosen
    page.save_revision().publish()

    section = group_section(url)
    link, title = group_link(section)
    assert title == chosen.title
    assert link == chosen.relative_url(page.get_site())
    assert fallback_title not in section and fallback_url not in section

    # Emptied again: back to the fallback.
    page.related_group = None
    page.save_revision().publish()
    assert group_link(group_section(url)) == (fallback_url, fallback_title)
