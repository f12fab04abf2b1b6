"""A centre's whole site (issue #21): a living home whose sections the editor orders or
hides, theme pages on every site, all at a constant query count as content grows."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import pytest

from centres import sections
from centres.models import CentreHomePage, SiteIdentity
from home.models import ThemeIndexPage, ThemePage
from publications.models import NewsIndexPage

from .factories import NewsPageFactory
from .test_agenda_helpers import agenda_of, fetch, make_event
from .test_publications_helpers import kind, library_of, make_publication

pytestmark = pytest.mark.django_db

IREV_HOME = "http://irev.localhost/"


def main_of(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def section_order(html) -> list[str]:
    import re

    return re.findall(r'class="home-section home-section--([a-z-]+)"', html)


def add_irev_content(network, count, start=0, theme="santé"):
    """`count` events, publications and news of IREV on `theme`, each event and
    publication co-signed by ORIV: what would multiply queries if fetched per item."""
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    soon = timezone.localdate() + timedelta(days=2)
    news_index = NewsIndexPage.objects.child_of(irev.home_page).get()
    for number in range(start, start + count):
        make_event(
            agenda_of(irev.home_page),
            f"Rencontre croissante {number}",
            organisers=[irev, oriv],
            themes=[theme],
            start_date=soon + timedelta(days=number),
        )
        make_publication(
            library_of(irev.home_page),
            f"Étude croissante {number}",
            authors=[irev, oriv],
            themes=[theme],
            kind=kind("publication"),
            publication_date=timezone.localdate() - timedelta(days=number),
        )
        NewsPageFactory(parent=news_index, title=f"Nouvelle croissante {number}", tags=[theme])


def test_a_centre_home_shows_its_own_events_resources_news_team_contacts_and_links(network):
    irev = network.centres["irev"]
    add_irev_content(network, 1)
    html = main_of(fetch(IREV_HOME))
    assert section_order(html) == [
        "events",
        "resources",
        "news",
        "offers",  # registered by the offers app (offers/home_sections.py)
        "newsletter",
        "team",
        "contact",
        "social",
    ]
    assert "Rencontre croissante 0" in html
    assert "Étude croissante 0" in html
    assert "Nouvelle croissante 0" in html
    assert "Toutes les offres et appels" in html  # IREV's open demo offer
    home = CentreHomePage.objects.get(pk=irev.home_page_id)
    for member in home.team_members.all():
        assert member.name in html and member.role in html
    identity = SiteIdentity.for_site(irev.site)
    assert identity.opening_hours and identity.opening_hours in html
    assert identity.linkedin in html
    assert 'id="home-newsletter-email"' in html and 'action="/lettre/"' in html
    # Another centre's own content stays on its own home.
    other = main_of(fetch("http://crcsur.localhost/"))
    assert "Nouvelle croissante 0" not in other
    assert "Étude croissante 0" not in other


def test_the_editor_orders_and_hides_the_sections_of_the_home(network):
    add_irev_content(network, 1)
    home = CentreHomePage.objects.get(pk=network.centres["irev"].home_page_id)
    home.sections = [
        ("section", {"kind": "team", "heading": "Qui sommes-nous ?", "count": None}),
        ("section", {"kind": "news", "heading": "", "count": 1}),
        ("section", {"kind": "events", "heading": "", "count": 2}),
    ]
    home.save_revision().publish()
    html = main_of(fetch(IREV_HOME))
    assert section_order(html) == ["team", "news", "events"]
    assert "Qui sommes-nous ?" in html
    assert html.count('class="card news-card"') == 1
    assert html.count('class="card event-card"') == 2
    assert "home-section--resources" not in html  # hidden: left out


def test_an_app_adds_its_own_home_section_without_centres_importing_it(network):
    kind = sections.SectionKind(
        name="essai",
        label=_("Rubrique d’essai"),
        template="centres/sections/social.html",
        items=lambda scope, count: [("Offre " + scope.centre.name, "https://example.org/")],
        order=45,
    )
    sections.register(kind)
    try:
        assert ("essai", kind.label) in sections.home_choices()
        html = main_of(fetch(IREV_HOME))
        assert "Offre IREV" in html
        assert section_order(html).index("social") > section_order(html).index("news")
    finally:
        sections.unregister("essai")
    cache.clear()
    assert "Offre IREV" not in main_of(fetch(IREV_HOME))


def test_the_theme_index_reads_accents_in_place(network):
    html = main_of(fetch("http://localhost/thematiques/"))
    index = ThemeIndexPage.objects.child_of(network.national_home).get()
    titles = [page.title for page in ThemePage.objects.child_of(index)]
    assert len(titles) == 15
    positions = {title: html.index(f">{title}<") for title in titles}
    listed = sorted(titles, key=positions.get)
    # "Égalité" and "Éducation" among the E's, between "Développement" and "Emploi".
    assert listed.index("Développement économique") < listed.index("Éducation")
    assert listed.index("Éducation") < listed.index("Égalité femmes-hommes")
    assert listed.index("Égalité femmes-hommes") < listed.index("Emploi")
    assert listed.index("Emploi") < listed.index("Évaluation des contrats de ville")
    assert listed.index("Évaluation des contrats de ville") < listed.index("Mobilités")


def test_a_theme_page_lists_the_site_s_own_items_and_the_national_one_the_network(network):
    add_irev_content(network, 1)
    crcsur = network.centres["crcsur"]
    make_publication(
        library_of(crcsur.home_page),
        "Étude d’un autre centre",
        authors=[crcsur],
        themes=["santé"],
        kind=kind("publication"),
        publication_date=timezone.localdate(),
    )
    irev_theme = (
        ThemePage.objects.live()
        .descendant_of(network.centres["irev"].home_page)
        .get(theme__name="santé")
    )
    html = main_of(fetch("http://irev.localhost/thematiques/sante/"))
    assert irev_theme.introduction.replace("<p>", "").replace("</p>", "") in html
    assert "Étude croissante 0" in html and "Rencontre croissante 0" in html
    assert "Nouvelle croissante 0" in html
    assert "Étude d’un autre centre" not in html
    assert "home-section--working-group" in html  # the group that publishes most on it
    national = main_of(fetch("http://localhost/thematiques/sante/"))
    assert "Étude croissante 0" in national and "Étude d’un autre centre" in national
    assert "Nouvelle croissante 0" in national
    assert ">Santé<" in national  # the related working group


def queries_of(url):
    with CaptureQueriesContext(connection) as queries:
        response = fetch(url)
    assert response.status_code == 200, url
    return len(queries)


def counts(urls, *, warm):
    """Cold: right after the cache is emptied, as after a publication (the images'
    renditions, made once at an image's first view, already there as on a live site)."""
    for url in urls.values():
        fetch(url)
    result = {}
    for name, url in urls.items():
        cache.clear()
        if warm:
            fetch(url)
        result[name] = queries_of(url)
    return result


def test_the_centre_home_and_theme_pages_cost_the_same_queries_as_content_grows(network):
    urls = {
        "centre home": IREV_HOME,
        "centre theme page": "http://irev.localhost/thematiques/sante/",
        "national theme page": "http://localhost/thematiques/sante/",
    }
    add_irev_content(network, 1)
    cold, warm = counts(urls, warm=False), counts(urls, warm=True)
    add_irev_content(network, 12, start=1)
    # Cold, a page may cost less once new items without an image have pushed the
    # seeded ones with a cover (one rendition query each) out of its sections; never more.
    grown = counts(urls, warm=False)
    assert all(grown[name] <= cold[name] for name in urls), (grown, cold)
    assert counts(urls, warm=True) == warm
    # Warm, each section is a cached fragment: the page costs what a bare page does.
    assert warm == {"centre home": 1, "centre theme page": 1, "national theme page": 1}
