"""The search page in Chromium: a visitor types in the header's search box, picks a
suggestion the autocomplete offers (JavaScript on), then narrows with a facet and
widens a centre's search to the network with JavaScript off, by keyboard only; axe-core
finds nothing to report on the search pages (with results, facets, no result, empty)."""

import re

import pytest
from playwright.sync_api import expect

from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}


def test_search_pages_keyboard_autocomplete_no_js_and_axe(browser, portal, axe_source):
    with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
        page = context.new_page()
        page.goto(portal.url("/"))
        page.get_by_role("searchbox", name="Rechercher").fill("egalite")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/recherche/\?q=egalite"))
        # With its suggestions list attached, the page's box is a combobox (ARIA).
        box = page.get_by_role("combobox", name="Mots recherchés")
        box.fill("")
        box.focus()
        page.keyboard.type("egal")
        # The suggestions arrive in the <datalist> the script attached to the box.
        expect(page.locator("datalist#search-suggestions-0 option").first).to_have_attribute(
            "value", re.compile("[ÉE]galit[ée]", re.I), timeout=30_000
        )
        page.keyboard.type("ite femmes")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/recherche/\?q=egalite\+femmes"))
        expect(page.locator(".search-result").first).to_be_visible()
        expect(page.locator(".search-result mark").first).to_be_visible()

        report = []
        for what, url in [
            ("results", portal.url("/recherche/?q=egalite+femmes+hommes")),
            ("filtered", portal.url("/recherche/?q=sante&type=publication&sort=date")),
            ("no result", portal.url("/recherche/?q=introuvablissime")),
            ("empty", portal.url("/recherche/")),
            ("centre", portal.centre_url("irev", "/recherche/?q=logement")),
        ]:
            response = page.goto(url)
            problems = [] if response.status == 200 else [f"HTTP {response.status}"]
            violations = run_axe(page, axe_source)
            if violations:
                problems.append(describe_violations(violations))
            if problems:
                report.append(f"{what} ({url}):\n" + "\n".join(problems))
        assert not report, "\n".join(report)

    with browser.new_context(
        java_script_enabled=False, locale="fr-FR", viewport=VIEWPORT
    ) as context:
        page = context.new_page()
        page.goto(portal.centre_url("irev", "/recherche/"))
        # A word the demo network's content holds ("logement" is in none of it).
        page.get_by_label("Mots recherchés").fill("santé")
        page.keyboard.press("Enter")
        expect(page.locator(".search-scope")).to_contain_text("IREV")
        own = page.locator(".search-result").count()
        page.get_by_role("link", name="Étendre la recherche à tout le réseau").click()
        expect(page).to_have_url(re.compile(r"scope=reseau"))
        network = page.locator(".search-result").count()
        assert network > 0 and network >= own
        # The first content type the facet offers, whichever the demo content has.
        choice = page.locator("#filter-type option").nth(1)
        value, label = choice.get_attribute("value"), choice.inner_text().rsplit(" (", 1)[0]
        page.get_by_label("Type de contenu").select_option(value)
        page.get_by_role("button", name="Affiner").click()
        expect(page).to_have_url(re.compile(rf"type={value}"))
        kinds = page.locator(".search-result .search-type").all_inner_texts()
        assert kinds and set(kinds) == {label}
