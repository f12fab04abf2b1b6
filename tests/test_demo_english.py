"""The demo's English national pages (demo/seed/english.py, docs/i18n.md): the seed
translates the home page, "le réseau", the accessibility statement and the legal pages
with wagtail-localize, in English for real, live; /en/ answers in English with the
language switcher and hreflang, and the French content an English page shows (the
centres' items on the home page, untranslated menu pages, the site's tagline) is marked
lang="fr"."""

import re

from django.test import Client

from wagtail.models import Locale, Page

import pytest
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from demo.seed.english import KEPT_FIELDS, PAGES, english_pages, seed_english_pages
from network.report import Report

pytestmark = pytest.mark.django_db

ENGLISH_TITLES = {
    "": "National network of the urban policy resource centres",
    "le-reseau": "The network",
    "accessibilite": "Accessibility statement",
    "mentions-legales": "Legal notice",
    "donnees-personnelles": "Personal data",
}


def english():
    return Locale.objects.get(language_code="en")


def get(path):
    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def main_of(html):
    return re.search(r"<main[^>]*>.*?</main>", html, re.S).group(0)


def test_the_seed_translates_national_pages_into_english_for_real(network):
    french_pages = english_pages(network.national_home)
    assert [page.slug if page.depth > 2 else "" for page in french_pages] == PAGES
    for page in french_pages:
        slug = page.slug if page.depth > 2 else ""
        version = page.get_translation(english()).specific
        assert version.alias_of_id is None and version.live, slug
        assert version.title == ENGLISH_TITLES[slug]
        if slug:  # addresses stay French under /en/ (the home page's is /en/ itself)
            assert version.slug == page.slug
        # Every text segment has its English in the translation editor, and none is
        # the French text again (the RGAA's version and the technologies excepted).
        source = TranslationSource.objects.get(object_id=page.translation_key)
        for segment in StringSegment.objects.filter(source=source).select_related(
            "string", "context"
        ):
            if segment.context.path.split(".")[0] in KEPT_FIELDS:
                continue
            translated = StringTranslation.objects.get(
                translation_of=segment.string, locale=english(), context=segment.context
            )
            if segment.string.data not in ("4.1", "HTML5, CSS, SVG"):
                assert translated.data != segment.string.data, segment.string.data
    statement = french_pages[2].get_translation(english()).specific
    assert statement.pages_checked.startswith("Home, agenda")
    assert "Some older PDF documents" in statement.non_compliant


def test_the_english_seed_is_idempotent(network):
    before = Page.objects.count()
    report = Report()
    pages = seed_english_pages(network.national_home, report)
    assert report.created == [] and Page.objects.count() == before
    assert [page.title for page in pages] == [ENGLISH_TITLES[slug] for slug in PAGES]


def test_a_changed_french_text_leaves_its_page_untranslated(network):
    page = network.national_home.get_children().get(slug="le-reseau").specific
    page.get_translation(english()).delete()
    page.introduction = "Un chapeau réécrit par la coordination."
    page.save_revision().publish()
    report = Report()
    seed_english_pages(network.national_home, report)
    assert report.created == []
    assert page.get_translation_or_none(english()) is None


def test_english_home_in_english_with_switcher_and_french_parts_marked(network):
    html = get("/en/")
    assert re.search(r'<html lang="en"', html)
    assert "<h1>National network of the urban policy resource centres</h1>" in html
    assert "The 19 urban policy resource centres support" in html
    assert '<link rel="alternate" hreflang="fr" href="http://localhost/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/">' in html
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert '<a href="/" lang="fr" hreflang="fr">Français</a>' in switcher
    main = main_of(html)
    # The page itself is English: <main> is not marked French...
    assert not re.match(r"<main[^>]*lang=", main)
    # ...but the centres' items it shows are French, each marked so, their line of
    # dates and badges in English.
    cards = re.findall(r'<li class="card showcase-card"([^>]*)>\s*<p class="meta"([^>]*)>', main)
    assert cards and all(card == (' lang="fr"', ' lang="en"') for card in cards), cards
    # The sections: translated ones in English, the others French, marked.
    sections = main.split('id="sections-title"', 1)[1]
    assert re.search(r'<li class="card"><h3><a href="/en/le-reseau/">The network</a>', sections)
    assert re.search(
        r'<li class="card" lang="fr"><h3><a href="/ressources/">Ressources</a>', sections
    )
    # Outside <main>: the untranslated menu pages and the French-only tagline.
    menu = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert re.search(r'<a href="/ressources/" lang="fr"[^>]*>Ressources</a>', menu)
    assert re.search(r'<a href="/en/le-reseau/"(?![^>]*lang=)[^>]*>The network</a>', menu)
    assert '<p class="site-tagline" lang="fr">' in html
    # The French home page marks nothing French.
    french = get("/")
    assert 'lang="fr"' not in main_of(french)


def test_english_statement_and_content_pages(network):
    html = get("/en/accessibilite/")
    assert re.search(r'<html lang="en"', html)
    main = main_of(html)
    assert not re.match(r"<main[^>]*lang=", main)
    for text in (
        "<h1>Accessibility statement</h1>",
        "Compliance status",
        "<strong>partially compliant</strong>",
        "Means of redress",
        "Some replay videos have no transcript (criterion 4.1).",
        "Home, agenda, an event, resources, a publication, search, contact",
    ):
        assert text in main, text
    for french in ("État de conformité", "Voies de recours", "Certaines vidéos"):
        assert french not in main, french
    # The footer's link to the statement, in English.
    assert ">Accessibility: partially compliant</a>" in html
    for path, title in (
        ("/en/le-reseau/", "The network"),
        ("/en/mentions-legales/", "Legal notice"),
        ("/en/donnees-personnelles/", "Personal data"),
    ):
        html = get(path)
        assert re.search(r'<html lang="en"', html) and f"<h1>{title}</h1>" in html, path
        assert not re.match(r"<main[^>]*lang=", main_of(html)), path
    assert "Formerly the Question de ville association" in get("/en/le-reseau/")
