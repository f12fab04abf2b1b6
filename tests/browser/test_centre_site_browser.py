"""A centre's whole site in a real browser (issue #21): IREV's home with each section
holding IREV's own content, a theme page, the accessibility statement and the offers
(the listing filtered with the keyboard, an offer, a closed one), reached with the
keyboard only, checked with axe-core (0 violations) and at 320 px wide."""

import re

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
        "Recevoir la lettre d’information": "Votre adresse électronique",
    }


def irev_theme_content():
    """What IREV's santé theme page must show in each section: its latest santé
    resource (from the seeded database), the group that publishes most on santé, and a
    santé event and news of IREV published here as an editor would (the demo's IREV
    events are on other themes, its news on none), with a santé news of CRCSUR that
    IREV's page must leave out."""
    from datetime import timedelta

    from django.utils import timezone

    from centres.models import Centre
    from home.models import ThemePage
    from publications.models import NewsIndexPage, PublicationPage, PublicationTag

    from ..factories import NewsPageFactory
    from ..test_agenda_helpers import agenda_of, make_event

    irev, crcsur = Centre.objects.get(slug="irev"), Centre.objects.get(slug="crcsur")
    theme = ThemePage.objects.live().descendant_of(irev.home_page).get(slug="sante").theme
    event = make_event(
        agenda_of(irev.home_page),
        "Atelier santé des habitants de l’IREV",
        organisers=[irev],
        themes=[theme.name],
        start_date=timezone.localdate() + timedelta(days=3),
    )
    publication = (
        PublicationPage.objects.live()
        .descendant_of(irev.home_page)
        .filter(pk__in=PublicationTag.objects.filter(tag=theme).values("content_object"))
        .order_by("-publication_date", "-pk")
        .first()
    )
    assert publication is not None, "the demo gives IREV a santé resource"
    for centre, title in (
        (irev, "Santé des habitants\u00a0: IREV"),
        (crcsur, "Santé\u00a0: CRCSUR"),
    ):
        NewsPageFactory(
            parent=NewsIndexPage.objects.child_of(centre.home_page).get(),
            title=title,
            date=timezone.localdate(),
            tags=[theme.name],
        )
    return {
        "sections": {
            "Prochains événements": event.title,
            "Dernières ressources": publication.title,
            "Actualités": "Santé des habitants\u00a0: IREV",
            "Groupe de travail": "Santé",
        },
        "other": "Santé\u00a0: CRCSUR",
    }


def tab_to(page, name):
    """Presses Tab until the focus is on a link or button whose text is `name`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus["text"] == name[:60]:  # FOCUS_JS keeps a text's first 60 characters
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
    theme_content = irev_theme_content()
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
            main = page.locator("main")
            expect(main).to_contain_text("IREV")  # the centre's own items
            for heading, content in theme_content["sections"].items():
                section = main.locator("section.home-section").filter(
                    has=page.get_by_role("heading", name=heading, level=2)
                )
                expect(section).to_have_count(1)
                expect(section).to_be_visible()
                expect(section).to_contain_text(content)
            expect(main).not_to_contain_text(theme_content["other"])  # CRCSUR's news
            # The sections' items, reached with the keyboard.
            for heading in ("Actualités", "Prochains événements"):
                title = theme_content["sections"][heading]
                tab_to(page, title)
                page.keyboard.press("Enter")
                expect(h1).to_have_text(title)
                assert page.url.startswith(portal.centre_url("irev")), page.url
                page.go_back()
                expect(page).to_have_url(portal.centre_url("irev", "/thematiques/sante/"))
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


# --- Offers (issue #21: "a browser test of ... an offer") ------------------------------
#
# Why an earlier version hung: Enter (or Space) on a focused <select> opens Chromium's
# native popup; with it open, the next key Playwright sends is never acknowledged and
# the test waits forever (no Playwright timeout covers `keyboard.press`). So a filter's
# value is changed with the arrow keys only (Linux's Chromium changes a closed select's
# value without opening it), Enter is pressed only once the focus is on the "Filtrer"
# button (asserted first), and every navigation is awaited with a bounded timeout.

SELECT_VALUE_JS = "() => document.activeElement.value"


def irev_offers():
    """IREV's open demo offer and its closed one, read from the seeded database. The
    open one's cover gets a file made in this process: the tests' media storage is in
    memory, so the seeded images' files exist only in the worker that seeded (elsewhere
    the cover would be left out, as a missing file is on a live site)."""
    import io

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    from PIL import Image as Pillow

    from centres.models import Centre
    from offers.models import OfferPage, today

    irev = Centre.objects.get(slug="irev")
    home = irev.home_page
    offers = OfferPage.objects.live().descendant_of(home)
    open_offer = offers.filter(closing_date__gte=today()).order_by("closing_date").first()
    closed = offers.filter(closing_date__lt=today()).first()
    assert open_offer.cover_alt, "the demo's open IREV offer has a cover"
    buffer = io.BytesIO()
    Pillow.new("RGB", (800, 450), (120, 60, 140)).save(buffer, "JPEG")
    open_offer.cover_image = get_image_model().objects.create(
        title="Offre IREV (test)",
        collection=irev.collection,
        file=ImageFile(buffer, name="offre-irev-test.jpg"),
    )
    open_offer.save_revision().publish()
    prefix = home.url_path
    return {
        "title": open_offer.title,
        "kind": open_offer.kind,
        "kind_label": str(open_offer.get_kind_display()),
        "organisation": open_offer.organisation,
        "cover_alt": open_offer.cover_alt,
        "path": "/" + open_offer.url_path.removeprefix(prefix),
        "closed_path": "/" + closed.url_path.removeprefix(prefix),
    }


def choose_with_arrows(page, field_id, value):
    """Tab to the filter `field_id`, then ArrowDown until its value is `value`."""
    tab_to_field(page, field_id)
    focus = page.evaluate(FOCUS_JS)
    assert focus["outline"] != "none", f"#{field_id}: focus not visible"
    for _ in range(60):
        if page.evaluate(SELECT_VALUE_JS) == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"#{field_id}: no option {value!r} reached with the arrow keys")


def submit_filters(page):
    """Tab to the form's button and press Enter there (never on a select)."""
    tab_to(page, "Filtrer")
    assert page.evaluate(FOCUS_JS)["tag"] == "button"
    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.keyboard.press("Enter")


def test_offers_in_chromium(browser, portal, axe_source, subtests):
    offer = irev_offers()
    listing = portal.url("/offres/")
    with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        page = context.new_page()
        main = page.locator("main")

        with subtests.test("the national listing filtered with the keyboard, then an offer"):
            page.goto(listing)
            choose_with_arrows(page, "filter-kind", offer["kind"])
            choose_with_arrows(page, "filter-centre", "irev")
            submit_filters(page)
            expect(page).to_have_url(re.compile(r"[?&]centre=irev(&|$)"))
            expect(page).to_have_url(re.compile(rf"[?&]kind={offer['kind']}(&|$)"))
            form = page.locator("form.filters")
            expect(form.get_by_label("Nature")).to_have_value(offer["kind"])
            expect(form.get_by_label("Centre")).to_have_value("irev")
            expect(page.locator("#results-title")).to_have_text("1 offre ouverte")
            card = main.locator("li.offer-card")
            expect(card).to_have_count(1)
            expect(card).to_contain_text(offer["kind_label"])
            expect(card.locator("img")).to_have_attribute("alt", offer["cover_alt"])
            # The card links to the offer on IREV's own site (its host: the test's sites
            # keep the default port, so the browser follows it from IREV's listing).
            link = card.get_by_role("link", name=offer["title"])
            expect(link).to_have_attribute("href", re.compile(r"//irev\.localhost[:/]"))
            assert link.get_attribute("href").endswith(offer["path"])

            page.goto(portal.centre_url("irev", "/offres/"))
            tab_to(page, offer["title"])
            with page.expect_navigation(timeout=TIMEOUT_MS):
                page.keyboard.press("Enter")
            expect(page).to_have_url(portal.centre_url("irev", offer["path"]))
            expect(page.locator("main h1")).to_have_text(offer["title"])
            facts = main.locator("dl.facts")
            expect(facts).to_contain_text(offer["organisation"])
            expect(facts).to_contain_text("Date de clôture")
            expect(main.locator("picture.cover img")).to_have_attribute("alt", offer["cover_alt"])
            expect(page.get_by_role("heading", name="Candidater", level=2)).to_be_visible()
            # Back to the centre's listing with the keyboard: the closed offer is not there.
            tab_to(page, "Toutes les offres ouvertes")
            with page.expect_navigation(timeout=TIMEOUT_MS):
                page.keyboard.press("Enter")
            expect(page).to_have_url(portal.centre_url("irev", "/offres/"))
            expect(main.locator("li.offer-card")).to_contain_text(offer["title"])
            expect(main).not_to_contain_text("offre pourvue")

        with subtests.test("a closed offer stays at its address, marked closed"):
            page.goto(portal.centre_url("irev", offer["closed_path"]))
            expect(page.get_by_role("status")).to_contain_text("Offre clôturée")
            expect(page.get_by_role("heading", name="Candidater")).to_have_count(0)

        with subtests.test("axe-core and 320 px"):
            for url in (
                listing,
                f"{listing}?kind={offer['kind']}&centre=irev",
                portal.centre_url("irev", "/offres/"),
                portal.centre_url("irev", offer["path"]),
                portal.centre_url("irev", offer["closed_path"]),
            ):
                check_axe_and_reflow(page, url, axe_source)
