"""The public pages in a real browser: the national portal on localhost and two centres
(one in metropolitan France, one overseas) on their own host names, checked with
axe-core, with the keyboard only, and with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import expect

from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
NATIONAL = "Réseau national des CRPV"
# The accessibility statement's link gives the site's compliance status (RGAA).
LEGAL_PAGES = [
    "Mentions légales",
    "Données personnelles",
    "Accessibilité\u00a0: partiellement conforme",
]

# (what, centre slug or None for the national portal, path, HTTP status, site name)
PAGES = [
    ("national home", None, "/", 200, NATIONAL),
    ("centres list and map", None, "/les-crpv/", 200, NATIONAL),
    ("network page", None, "/le-reseau/", 200, NATIONAL),
    ("legal notice", None, "/mentions-legales/", 200, NATIONAL),
    ("national 404", None, "/nexiste-pas/", 404, NATIONAL),
    ("IREV home", "irev", "/", 200, "IREV"),
    ("IREV content page", "irev", "/le-centre/", 200, "IREV"),
    ("CRCSUR home (overseas)", "crcsur", "/", 200, "CRCSUR"),
    ("CRCSUR 404", "crcsur", "/nexiste-pas/", 404, "CRCSUR"),
]

# Heading levels in document order, and whether each sits in <main>.
HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => [
    Number(h.tagName[1]), !!h.closest('main')])"""
OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def address(portal, slug, path):
    return portal.centre_url(slug, path) if slug else portal.url(path)


def layout_problems(page, site_name):
    """What the base layout must offer on every public page, beyond axe's rules."""
    problems = []
    if page.locator("html").get_attribute("lang") != "fr":
        problems.append(f"<html lang> is {page.locator('html').get_attribute('lang')!r}, not 'fr'")
    title = page.title()
    if not title.endswith(f" — {site_name}"):
        problems.append(f"<title> {title!r} does not end with the site name {site_name!r}")
    elif title.removesuffix(f" — {site_name}").strip() in ("", site_name):
        problems.append(f"<title> {title!r} does not say which page this is")
    header_name = page.locator("header .site-name").inner_text().strip()
    if header_name != site_name:
        problems.append(f"header shows {header_name!r}, not the site's name {site_name!r}")
    skip = page.locator("body > a.skip-link")
    if skip.count() != 1 or skip.get_attribute("href") != "#contenu":
        problems.append("no skip link to #contenu at the start of <body>")
    if page.locator("main#contenu").count() != 1:
        problems.append("no single <main id='contenu'>")
    if page.get_by_role("navigation", name="Navigation principale").count() != 1:
        problems.append("no main navigation landmark")
    legal = (
        page.get_by_role("contentinfo")
        .get_by_role("navigation", name="Informations légales")
        .get_by_role("link")
    )
    if legal.all_inner_texts() != LEGAL_PAGES:
        problems.append(f"footer legal links are {legal.all_inner_texts()}, not {LEGAL_PAGES}")
    headings = page.evaluate(HEADINGS_JS)
    if not headings or headings[0] != [1, True] or [h for h, _ in headings].count(1) != 1:
        problems.append(f"headings must start with the page's only h1, in <main>: {headings}")
    skipped = [(a, b) for (a, _), (b, _) in zip(headings, headings[1:]) if b > a + 1]
    if skipped:
        problems.append(f"heading levels skipped: {skipped}")
    return problems


def check_pages(page, portal, axe_source):
    """Every page checked, then every problem reported at once."""
    report = []
    for what, slug, path, status, site_name in PAGES:
        url = address(portal, slug, path)
        response = page.goto(url)
        problems = []
        if response.status != status:
            problems.append(f"HTTP {response.status}, expected {status}")
        problems += layout_problems(page, site_name)
        violations = run_axe(page, axe_source)
        if violations:
            problems.append("axe-core violations:\n" + describe_violations(violations))
        # Reflow (WCAG 1.4.10): nothing wider than a 320 px screen.
        page.set_viewport_size({"width": 320, "height": 640})
        if (overflow := page.evaluate(OVERFLOW_JS)) > 0:
            problems.append(f"scrolls sideways by {overflow}px at 320px wide")
        page.set_viewport_size(VIEWPORT)
        if problems:
            report.append(f"{what} ({url}):\n  " + "\n  ".join(problems))
    if report:
        pytest.fail("Accessibility problems:\n" + "\n".join(report), pytrace=False)


FOCUS_JS = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.getAttribute('class') || '',
            text: (el.textContent || '').trim().slice(0, 60),
            inMain: !!el.closest('main'), outline: style.outlineStyle,
            outlineWidth: parseFloat(style.outlineWidth) || 0,
            onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth};
}"""


def check_keyboard(page, portal):
    # The first Tab reaches the skip link, visibly; Enter moves the focus to <main>.
    for url in [portal.url("/"), portal.centre_url("crcsur")]:
        page.goto(url)
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        assert focus["cls"] == "skip-link" and focus["text"] == "Aller au contenu", (url, focus)
        assert focus["onScreen"] and focus["outline"] != "none", ("skip link not visible", focus)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile("#contenu$"))
        focus = page.evaluate(FOCUS_JS)
        assert (focus["tag"], focus["id"]) == ("main", "contenu"), (url, focus)
        page.keyboard.press("Tab")
        after = page.evaluate(FOCUS_JS)
        assert after["inMain"], ("Tab after the skip link leaves <main>", url, after)

    # Every tab stop, the map's links included, shows where the focus is.
    for url in [portal.url("/les-crpv/"), portal.centre_url("irev")]:
        page.goto(url)
        stops = []
        for _ in range(100):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_JS)
            if focus["tag"] == "body" or (stops and focus == stops[0]):
                break
            stops.append(focus)
        assert len(stops) > 5, (url, stops)
        invisible = [
            f for f in stops if f["outline"] == "none" or f["outlineWidth"] < 2 or not f["onScreen"]
        ]
        assert not invisible, f"focus not visible on {url}: {invisible}"


def check_without_javascript(page, portal):
    h1 = page.locator("main h1")

    page.goto(portal.url("/"))
    expect(h1).to_have_text("Réseau national des centres de ressources politique de la ville")
    nav = page.get_by_role("navigation", name="Navigation principale")
    nav.get_by_role("link", name="Les centres de ressources").click()
    expect(page).to_have_url(portal.url("/les-crpv/"))
    expect(h1).to_have_text("Les centres de ressources")
    # The map is drawn on the server: 19 markers at numeric positions, and the list.
    markers = page.locator("figure.network-map svg a.map-marker circle")
    expect(markers).to_have_count(19)
    for circle in markers.all():
        for attribute in ("cx", "cy"):
            assert re.fullmatch(r"-?\d+(\.\d+)?", circle.get_attribute(attribute)), (
                f"map coordinate {attribute}={circle.get_attribute(attribute)!r}"
            )
    expect(page.locator(".centre-list .card")).to_have_count(19)
    expect(page.get_by_role("link", name="CRCSUR", exact=True).last).to_have_attribute(
        "href", re.compile(r"^http://crcsur\.localhost[:/]")
    )
    nav.get_by_role("link", name="Le réseau").click()
    expect(page).to_have_url(portal.url("/le-reseau/"))
    expect(h1).to_have_text("Le réseau")
    page.get_by_role("contentinfo").get_by_role("link", name="Mentions légales").click()
    expect(page).to_have_url(portal.url("/mentions-legales/"))
    expect(h1).to_have_text("Mentions légales")

    page.goto(portal.centre_url("crcsur"))
    expect(h1).to_have_text("CRCSUR")
    page.get_by_role("link", name="Aller au contenu").press("Enter")
    expect(page).to_have_url(portal.centre_url("crcsur", "/#contenu"))
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Le centre"
    ).click()
    expect(page).to_have_url(portal.centre_url("crcsur", "/le-centre/"))
    expect(h1).to_have_text("Le centre")
    page.get_by_role("contentinfo").get_by_role(
        "link", name="Accessibilité\u00a0: partiellement conforme"
    ).click()
    expect(page).to_have_url(portal.centre_url("crcsur", "/accessibilite/"))
    expect(h1).to_have_text("Déclaration d’accessibilité")
    page.locator("header .site-name a").click()
    expect(page).to_have_url(portal.centre_url("crcsur"))
    expect(h1).to_have_text("CRCSUR")


def test_public_pages_in_chromium(browser, portal, axe_source, subtests):
    """One live-server test with subtests rather than several tests: each live-server
    test ends with a flush, and the next one would seed the network again (seconds)."""
    with subtests.test("titles, layout and axe-core on each page"):
        # An English browser: the pages must still say (and be rendered in) French.
        with browser.new_context(locale="en-US", viewport=VIEWPORT) as context:
            check_pages(context.new_page(), portal, axe_source)
    with subtests.test("keyboard: skip link and visible focus"):
        with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
            check_keyboard(context.new_page(), portal)
    with subtests.test("without JavaScript"):
        with browser.new_context(
            java_script_enabled=False, locale="fr-FR", viewport=VIEWPORT
        ) as context:
            check_without_javascript(context.new_page(), portal)
