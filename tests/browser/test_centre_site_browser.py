"""A centre's whole site in a real browser (issue #21): IREV's home with each section
holding IREV's own content, a theme page and the accessibility statement, reached with
the keyboard only, checked with axe-core (0 violations) and at 320 px wide."""

import pytest
from playwright.sync_api import expect

from .axe import describe_violations, run_axe
from .test_public_pages import FOCUS_JS, OVERFLOW_JS, VIEWPORT

pytestmark = pytest.mark.browser

TIMEOUT_MS = 10_000  # every wait of these tests: no hanging on a missing element
MAX_TABS = 200


def irev_content():
    """What IREV's home must show, read from the seeded database."""
    from django.utils import timezone

    from agenda.models import EventPage
    from centres.models import Centre, CentreHomePage, SiteIdentity
    from publications.models import NewsPage

    irev = Centre.objects.get(slug="irev")
    home = CentreHomePage.objects.get(pk=irev.home_page_id)
    event = (
        EventPage.objects.live()
        .descendant_of(home)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )
    news = NewsPage.objects.live().descendant_of(home).order_by("-date", "-pk").first()
    return {
        "Prochains événements": event.title,
        "Actualités": news.title,
        "L’équipe": home.team_members.first().name,
        "Nous contacter": SiteIdentity.for_site(irev.site).opening_hours,
        "Sur les réseaux sociaux": "LinkedIn",
        "Lettre d’information": "Votre adresse électronique",
    }


def tab_to(page, name):
    """Presses Tab until the focus is on a link or button whose text is `name`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus["text"] == name:
            assert focus["outline"] != "none" and focus["onScreen"], focus
            return
    pytest.fail(f"{name!r} not reached with {MAX_TABS} presses of Tab on {page.url}")


def tab_to_field(page, field_id):
    """Presses Tab until the focus is on the form field `field_id`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUS_JS)["id"] == field_id:
            return
    pytest.fail(f"#{field_id} not reached with {MAX_TABS} presses of Tab on {page.url}")


def check_axe_and_reflow(page, url, axe_source):
    response = page.goto(url)
    assert response.status == 200, url
    violations = run_axe(page, axe_source)
    assert not violations, f"{url}:\n" + describe_violations(violations)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(OVERFLOW_JS) <= 0, f"{url} scrolls sideways at 320px"
    page.set_viewport_size(VIEWPORT)


def test_a_centre_s_site_in_chromium(browser, portal, axe_source, subtests):
    expected = irev_content()
    with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        h1 = page.locator("main h1")

        with subtests.test("the home's sections hold the centre's own content"):
            page.goto(portal.centre_url("irev"))
            main = page.locator("main")
            for heading, content in expected.items():
                section = main.locator("section.home-section").filter(
                    has=page.get_by_role("heading", name=heading, level=2)
                )
                expect(section).to_have_count(1)
                expect(section).to_contain_text(content)
            # Another centre's news is not there.
            expect(main).not_to_contain_text("Les rendez-vous de CRCSUR")

        with subtests.test("axe-core and 320 px"):
            for url in (
                portal.centre_url("irev"),
                portal.centre_url("irev", "/thematiques/"),
                portal.centre_url("irev", "/thematiques/sante/"),
                portal.centre_url("irev", "/accessibilite/"),
                portal.centre_url("irev", "/contact/"),
                portal.url("/thematiques/"),
                portal.url("/thematiques/sante/"),
            ):
                check_axe_and_reflow(page, url, axe_source)

        with subtests.test("keyboard only: home, theme page, statement"):
            page.goto(portal.centre_url("irev"))
            tab_to(page, "Thématiques")
            page.keyboard.press("Enter")
            expect(page).to_have_url(portal.centre_url("irev", "/thematiques/"))
            expect(h1).to_have_text("Thématiques")
            tab_to(page, "Santé")
            page.keyboard.press("Enter")
            expect(page).to_have_url(portal.centre_url("irev", "/thematiques/sante/"))
            expect(h1).to_have_text("Santé")
            expect(page.locator("main")).to_contain_text("IREV")  # the centre's own items
            expect(page.get_by_role("heading", name="Dernières ressources")).to_be_visible()
            tab_to(page, "Accessibilité\u00a0: partiellement conforme")
            page.keyboard.press("Enter")
            expect(page).to_have_url(portal.centre_url("irev", "/accessibilite/"))
            expect(h1).to_have_text("Déclaration d’accessibilité")
            for heading in ("État de conformité", "Résultats des tests", "Voies de recours"):
                expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
            tab_to(page, "Signaler un problème d’accessibilité")
            page.keyboard.press("Enter")
            expect(page).to_have_url(
                portal.centre_url("irev", "/signaler-un-probleme-d-accessibilite/")
            )
            # The form, filled and sent with the keyboard.
            tab_to_field(page, "id_courriel")
            page.keyboard.type("sacha@exemple.fr")
            tab_to_field(page, "id_description_du_probleme")
            page.keyboard.type("Le filtre des mois ne se lit pas.")
            tab_to(page, "Envoyer")
            page.keyboard.press("Enter")
            expect(page.get_by_role("status")).to_contain_text("Merci")
