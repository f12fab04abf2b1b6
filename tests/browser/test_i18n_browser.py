"""Translations in a real browser (issue #8's "Done when"): a national page translated to
English with wagtail-localize; the visitor reaches the English version with the language
switcher from the keyboard, comes back to French with a click, and the English page
passes axe-core. JavaScript is off for the switch: the switcher is plain links."""

from wagtail.models import Locale, Page

import pytest
from wagtail_localize.operations import TranslationCreator

from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}


def translate_network_page():
    french = Page.objects.get(depth=3, slug="le-reseau", locale__language_code="fr").specific
    english = Locale.objects.get(language_code="en")
    if french.get_translation_or_none(english) is None:  # the demo seed translates it
        TranslationCreator(None, [english]).create_translations(french)
    version = french.get_translation(english).specific
    version.title = "The network"
    version.save_revision().publish()


def test_a_visitor_switches_a_national_page_to_english_and_back(browser, portal, axe_source):
    translate_network_page()
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(portal.url("/le-reseau/"))
        assert page.locator("html").get_attribute("lang") == "fr"
        switcher = page.get_by_role("navigation", name="Langue de la page")
        english_link = switcher.get_by_role("link", name="English")
        assert english_link.get_attribute("hreflang") == "en"
        assert english_link.get_attribute("lang") == "en"

        # Keyboard: Tab until the English link has the focus, then Enter.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.textContent.trim()") == "English":
                break
        else:
            pytest.fail("the English link of the language switcher is not reachable with Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == portal.url("/en/le-reseau/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "The network"
        assert page.get_by_role("navigation", name="Main navigation").count() == 1
        current = page.get_by_role("navigation", name="Page language").get_by_role(
            "link", name="English"
        )
        assert current.get_attribute("aria-current") == "true"
        # An untranslated page of the menu: the French page, not a 404.
        resources = page.get_by_role("navigation", name="Main navigation").get_by_role(
            "link", name="Ressources", exact=True
        )
        assert resources.get_attribute("href") == "/ressources/"

        # axe-core needs scripts: the same English page, JavaScript on.
        checked = browser.new_context(viewport=VIEWPORT)
        try:
            english_page = checked.new_page()
            english_page.goto(portal.url("/en/le-reseau/"))
            violations = run_axe(english_page, axe_source)
            assert violations == [], describe_violations(violations)
        finally:
            checked.close()

        # Back to French with a click.
        with page.expect_navigation():
            page.get_by_role("navigation", name="Page language").get_by_role(
                "link", name="Français"
            ).click()
        assert page.url == portal.url("/le-reseau/")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text() == "Le réseau"
    finally:
        context.close()
