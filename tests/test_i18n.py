"""Translations (docs/i18n.md): French pages at their addresses, English translations
made with wagtail-localize under /en/, a language switcher and hreflang links only where
a translation exists, centres French unless they enable English, the admin French for
everyone, English interface strings, and caches, statistics and sitemap per language."""

import re
import xml.etree.ElementTree as ET

from django.core.cache import cache as django_cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale, Page

import pytest
from wagtail_localize.operations import TranslationCreator

from centres.models import SiteIdentity
from demo.seed.network import seed_network
from portal import cache as portal_cache
from stats.resolve import live_page

from .conftest import host_of

pytestmark = pytest.mark.django_db


def english():
    return Locale.objects.get(language_code="en")


def translate(page, title, user=None):
    """What the editor's "Traduire" then "Publier" do: wagtail-localize creates the
    English page (and an alias of each untranslated parent), the editor retitles it.
    The demo seed already translates a few national pages (demo/seed/english.py):
    their English version is retitled and published again."""
    version = page.get_translation_or_none(english())
    if version is None or version.alias_of_id is not None:
        TranslationCreator(user, [english()]).create_translations(page)
    version = page.get_translation(english()).specific
    version.title = title
    version.save_revision().publish()
    return Page.objects.get(pk=version.pk).specific


def national_page(network, slug):
    return network.national_home.get_children().get(slug=slug).specific


# A national page the demo seed leaves untranslated (it translates the home page, "le
# réseau", the accessibility statement and the legal pages).
UNTRANSLATED = "les-crpv"


def get(path, host="localhost", **headers):
    return Client(HTTP_HOST=host).get(path, **headers)


def html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def switcher(html):
    match = re.search(r'<nav class="language-switcher"[^>]*>.*?</nav>', html, re.S)
    return match.group(0) if match else None


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_the_english_locale_exists_after_the_seed_which_stays_idempotent():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"fr", "en"}
    assert Locale.get_default().language_code == "fr"
    seed_network(with_users=False)
    assert Locale.objects.filter(language_code="en").count() == 1


def test_a_translated_national_page_is_served_in_english_with_switcher_and_hreflang(network):
    french = national_page(network, "le-reseau")
    translate(french, "The network")
    response = get("/en/le-reseau/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert html_lang(html) == "en"
    assert "<h1>The network</h1>" in html
    nav = switcher(html)
    assert nav is not None and 'aria-label="Page language"' in nav
    assert '<a href="/le-reseau/" lang="fr" hreflang="fr">Français</a>' in nav
    assert 'href="/en/le-reseau/" lang="en" hreflang="en" aria-current="true">English</a>' in nav
    assert alternates(html) == {
        "fr": "http://localhost/le-reseau/",
        "en": "http://localhost/en/le-reseau/",
        "x-default": "http://localhost/le-reseau/",
    }

    html = get("/le-reseau/").content.decode()
    assert html_lang(html) == "fr"
    nav = switcher(html)
    assert nav is not None and 'aria-label="Langue de la page"' in nav
    assert '<a href="/en/le-reseau/" lang="en" hreflang="en">English</a>' in nav
    assert alternates(html)["en"] == "http://localhost/en/le-reseau/"


def test_no_switcher_nor_hreflang_without_a_translation(network):
    html = get(f"/{UNTRANSLATED}/").content.decode()
    assert switcher(html) is None
    assert alternates(html) == {}
    assert html_lang(html) == "fr"


def test_a_draft_translation_is_not_offered(network):
    french = national_page(network, "le-reseau")
    translate(french, "The network").unpublish()
    assert switcher(get("/le-reseau/").content.decode()) is None


def test_english_navigation_links_untranslated_pages_to_the_french_page(network):
    translate(national_page(network, "le-reseau"), "The network")
    html = get("/en/le-reseau/").content.decode()
    menu = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    links = dict(
        (title, href) for href, title in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', menu)
    )
    assert links["The network"] == "/en/le-reseau/"
    assert links["Ressources"] == "/ressources/"
    # The site's name leads to the English home page (the demo translates it).
    assert re.search(r'<p class="site-name">\s*<a href="/en/"', html)
    for href in links.values():
        assert get(href).status_code == 200, href


def test_an_untranslated_page_is_not_at_an_english_address(network):
    # The English national tree holds the translated pages only.
    assert get("/en/ressources/").status_code == 404
    assert get(f"/en/{UNTRANSLATED}/").status_code == 404
    # A centre's page translated before its home page: wagtail-localize puts an alias
    # (an English copy of the French home page) above it, which says its content is French.
    centre = network.centres["irev"]
    host = host_of(centre)
    SiteIdentity.objects.filter(site__hostname=host).update(english_enabled=True)
    translate(centre.home_page.get_children().get(slug="le-centre").specific, "The centre")
    response = get("/en/", host=host)
    assert response.status_code == 200
    html = response.content.decode()
    assert html_lang(html) == "en"
    assert '<main id="contenu" tabindex="-1" class="container" lang="fr">' in html


def test_english_interface_strings_on_english_pages_only(network):
    translate(national_page(network, "le-reseau"), "The network")
    english_html = get("/en/le-reseau/").content.decode()
    for text in (
        "Skip to content",
        "Main navigation",
        'action="/en/recherche/"',
        ">Search</label>",
        ">The network</h2>",
        "Legal information",
        "National network of urban policy resource centres",
    ):
        assert text in english_html, text
    french_html = get("/le-reseau/").content.decode()
    for text in (
        "Aller au contenu",
        "Navigation principale",
        'action="/recherche/"',
        "Informations légales",
    ):
        assert text in french_html, text
    assert "Skip to content" not in french_html


def test_search_and_privacy_pages_in_english_under_en(network):
    search = get("/en/recherche/", data={"q": "réseau"})
    assert search.status_code == 200
    assert "Refine the search" in search.content.decode() or "result" in search.content.decode()
    assert html_lang(search.content.decode()) == "en"
    assert "Mots recherchés" in get("/recherche/", data={"q": "réseau"}).content.decode()
    privacy = get("/en/mesure-d-audience/").content.decode()
    assert "Audience measurement and privacy" in privacy
    assert "Mesure d’audience et vie privée" in get("/mesure-d-audience/").content.decode()


def test_a_centre_stays_french_until_it_enables_english(network):
    centre = network.centres["irev"]
    host = host_of(centre)
    page = centre.home_page.get_children().get(slug="le-centre").specific
    translate(page, "The centre")
    html = get("/le-centre/", host=host).content.decode()
    assert switcher(html) is None and alternates(html) == {}

    identity = SiteIdentity.objects.get(site__hostname=host)
    identity.english_enabled = True
    identity.save()
    html = get("/le-centre/", host=host).content.decode()
    assert '<a href="/en/le-centre/" lang="en" hreflang="en">English</a>' in switcher(html)
    assert get("/en/le-centre/", host=host).status_code == 200


def test_a_centre_without_english_has_no_english_addresses(network):
    host = host_of(network.centres["oriv"])
    assert get("/le-centre/", host=host).status_code == 200
    assert get("/en/le-centre/", host=host).status_code == 404
    assert get("/en/", host=host).status_code == 404


def translate_action(user_client, page):
    html = user_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    return reverse("wagtail_localize:submit_page_translation", args=[page.pk]) in html


@pytest.mark.parametrize("username", ["admin", "coordination"])
def test_the_translate_action_is_offered_on_national_pages(network, username):
    client = network.client_for(username)
    assert translate_action(client, national_page(network, UNTRANSLATED))


@pytest.mark.parametrize("username", ["admin", "editeur-irev"])
def test_the_translate_action_is_not_offered_on_a_centre_without_english(network, username):
    centre = network.centres["irev"]
    page = centre.home_page.get_children().get(slug="le-centre")
    client = network.client_for(username, host=host_of(centre))
    assert not translate_action(client, page)
    identity = SiteIdentity.objects.get(site__hostname=host_of(centre))
    identity.english_enabled = True
    identity.save()
    assert translate_action(client, page)


# Submitting a page for translation by its address (wagtail-localize's own view checks
# only the global permission): role × page of the national site, of the editor's own
# centre and of another centre, each with English enabled or not.
SUBMIT_MATRIX = [
    ("admin", "national", True),
    ("admin", "irev", False),
    ("admin", "irev+en", True),
    ("coordination", "national", True),
    ("editeur-irev", "national", False),
    ("editeur-irev", "irev", False),
    ("editeur-irev", "irev+en", True),
    ("editeur-irev", "oriv+en", False),
    ("editeur-oriv", "irev+en", False),
]


@pytest.mark.parametrize("username,where,allowed", SUBMIT_MATRIX)
def test_submitting_a_translation_by_its_address_needs_page_rights_and_english(
    network, username, where, allowed
):
    slug, _, english_on = where.partition("+")
    if slug == "national":
        page, host = national_page(network, UNTRANSLATED), "localhost"
    else:
        centre = network.centres[slug]
        page, host = centre.home_page.get_children().get(slug="le-centre"), host_of(centre)
        SiteIdentity.objects.filter(site__hostname=host).update(english_enabled=bool(english_on))
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    client = network.client_for(username, host=host)
    answer = client.get(url)
    posted = client.post(url, {"locales": [english().pk]})
    assert (page.get_translation_or_none(english()) is not None) is allowed
    if allowed:
        assert answer.status_code == 200
    else:  # Wagtail's refusal in the admin: back to the dashboard, with a message
        for refused in (answer, posted):
            assert refused.status_code == 302 and refused["Location"] == "/admin/"


def test_submitting_a_translation_needs_signing_in(network):
    page = national_page(network, "le-reseau")
    answer = Client().get(reverse("wagtail_localize:submit_page_translation", args=[page.pk]))
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]


def test_the_english_pages_are_edited_by_those_who_edit_the_french_ones(network):
    version = translate(national_page(network, "le-reseau"), "The network", network.user("admin"))
    edit = reverse("wagtailadmin_pages:edit", args=[version.pk])
    assert network.client_for("coordination").get(edit).status_code == 200
    assert network.client_for("editeur-irev").get(edit).status_code in (302, 403)


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/"])
def test_the_admin_stays_french_for_an_english_browser(network, path):
    client = network.client_for("coordination") if path == "/admin/" else Client()
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert html_lang(html) == "fr"
    assert (
        ("Mot de passe oublié" in html) if path == "/admin/login/" else ("Tableau de bord" in html)
    )
    assert "Forgotten password" not in html and "Dashboard" not in html


def test_a_french_page_ignores_the_browsers_language_and_stays_cacheable(network, settings):
    settings.PAGE_CACHE_SECONDS = 300
    response = get("/le-reseau/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response.content.decode()) == "fr"
    assert "Accept-Language" not in response.get("Vary", "")
    assert response["X-Cache"] == "MISS"


def test_the_page_cache_and_fragments_are_keyed_by_language(network, settings):
    settings.PAGE_CACHE_SECONDS = 300
    translate(national_page(network, "le-reseau"), "The network")
    django_cache.clear()
    # The French page first: its header and footer fragments are stored...
    french = get("/le-reseau/")
    assert french["X-Cache"] == "MISS"
    # ...and the English page does not get them, nor the French page from the cache.
    english_page = get("/en/le-reseau/")
    assert english_page["X-Cache"] == "MISS"
    assert "Main navigation" in english_page.content.decode()
    assert "Navigation principale" not in english_page.content.decode()
    again_fr, again_en = get("/le-reseau/"), get("/en/le-reseau/")
    assert again_fr["X-Cache"] == again_en["X-Cache"] == "HIT"
    assert again_fr.content == french.content and again_en.content == english_page.content
    assert again_en["Content-Language"] == "en" and again_fr["Content-Language"] == "fr"


def test_content_caches_hold_one_value_per_language():
    for language in ("fr", "en"):
        with translation.override(language):
            assert portal_cache.cached("label", translation.get_language) == language


def test_the_beacon_resolves_english_addresses_to_the_english_page(network):
    french = national_page(network, "le-reseau")
    version = translate(french, "The network")
    site = network.national_site
    assert live_page(site, "/en/le-reseau/").pk == version.pk
    assert live_page(site, "/le-reseau/").pk == french.pk
    assert live_page(site, "/en/le-reseau/", version.pk).pk == version.pk
    assert live_page(site, "/le-reseau/", version.pk) is None
    assert live_page(site, "/en/le-reseau/", french.pk) is None


def test_the_sitemap_lists_translations_with_hreflang_alternates(network):
    translate(national_page(network, "le-reseau"), "The network")
    root = ET.fromstring(get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {url.find("s:loc", ns).text: url for url in root.findall("s:url", ns)}
    assert "http://localhost/en/le-reseau/" in urls
    # The English home page (the demo translates it) is listed; aliases never are.
    assert "http://localhost/en/" in urls
    links = {
        link.get("hreflang"): link.get("href")
        for link in urls["http://localhost/le-reseau/"].findall("x:link", ns)
    }
    assert links == {
        "fr": "http://localhost/le-reseau/",
        "en": "http://localhost/en/le-reseau/",
        "x-default": "http://localhost/le-reseau/",
    }
    assert urls["http://localhost/ressources/"].findall("x:link", ns) == []


def test_existing_addresses_are_unchanged(network):
    from agenda.models import EventPage
    from publications.models import PublicationPage

    event = EventPage.objects.live().public().descendant_of(network.national_home).first()
    publication = PublicationPage.objects.live().public().first()
    for path in (
        "/",
        "/agenda/",
        "/ressources/",
        "/recherche/",
        "/mesure-d-audience/",
        "/sitemap.xml",
        "/robots.txt",
        "/oai/?verb=Identify",
        "/api/v2/events/",
        f"/evenement/{event.slug}",
        f"/publication/{publication.slug}",
    ):
        assert get(path).status_code == 200, path
    assert get("/evenement/x-inexistant").status_code == 404
    page = national_page(network, "le-reseau")
    assert page.get_url_parts()[2] == "/le-reseau/"


def test_the_committed_catalogue_is_compiled():
    """django.mo is committed (nothing compiles at installation): it must hold every
    translated entry of django.po, as `make messages` compiles it."""
    from pathlib import Path

    import polib

    folder = Path(__file__).resolve().parents[1] / "portal" / "locale" / "en" / "LC_MESSAGES"
    po, mo = polib.pofile(str(folder / "django.po")), polib.mofile(str(folder / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in mo}
    translated = po.translated_entries()
    assert len(translated) > 150
    for entry in translated:
        assert (entry.msgctxt, entry.msgid) in compiled, entry.msgid
        other = compiled[(entry.msgctxt, entry.msgid)]
        assert (other.msgstr_plural or other.msgstr) == (
            entry.msgstr_plural or entry.msgstr
        ) or list((other.msgstr_plural or {}).values()) == list(
            (entry.msgstr_plural or {}).values()
        )
