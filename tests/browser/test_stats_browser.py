"""Audience statistics end to end in Chromium: a visitor reads two pages of the portal
and two of IREV's site and downloads one of IREV's documents; a second visitor turns the
opt-out on, on ORIV's privacy page, and is then not counted there. IREV's editor then
sees exactly IREV's visits in the admin report, and the coordinator sees each site's and
the network's (their sum). Afterwards no stats table holds the address or the browser's
user agent. The privacy page passes axe-core.

Headless Chromium announces itself as "HeadlessChrome", which the crawler list rightly
drops: the visitors use an ordinary desktop Chrome user agent."""

import time

from django.apps import apps
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Site

import pytest
from playwright.sync_api import expect

from centres.models import Centre
from demo.seed.network import DEMO_PASSWORD
from stats.models import Event
from stats.privacy import forget_cached_salts

from ..reads_fixtures import publish_page_using
from .axe import AXE_TAGS, describe_violations, run_axe

pytestmark = pytest.mark.browser

CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def wait_for_events(count, timeout=10.0):
    """Beacons leave the browser asynchronously: wait until the server has them."""
    deadline = time.monotonic() + timeout
    while Event.objects.count() < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return Event.objects.count()


def figure(page, label):
    item = page.locator(".stats-figures > div").filter(has=page.locator("dt", has_text=label))
    return item.locator("dd").first.inner_text().strip()


def figures(page, *labels):
    return tuple(figure(page, label) for label in labels)


def report_of(browser, portal, username):
    """A signed-in admin user's Statistics page (their default scope)."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    log_in(page, portal, username)
    page.goto(portal.url("/admin/statistiques/"))
    return context, page


def log_in(page, portal, username):
    page.goto(portal.url("/admin/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(portal.url("/admin/"))


def test_visits_on_two_sites_are_counted_and_shown_to_each_role(
    browser, portal, axe_source, subtests, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    }
    forget_cached_salts()
    irev = Centre.objects.get(slug="irev")
    document = get_document_model()(title="Compte rendu du séminaire", collection=irev.collection)
    document.file.save("compte-rendu.txt", ContentFile(b"Compte rendu"), save=False)
    document.save()
    publish_page_using(document, irev.home_page)  # public once linked (docs/permissions.md)
    irev_site = Site.objects.get(root_page=irev.home_page)
    oriv_site = Site.objects.get(root_page__owning_centre__slug="oriv")

    with browser.new_context(locale="fr-FR", user_agent=CHROME) as context:
        page = context.new_page()
        page.goto(portal.url("/"))
        page.get_by_role("link", name="Les centres de ressources").first.click()
        page.goto(portal.centre_url("irev", "/"))
        page.goto(portal.centre_url("irev", "/le-centre/"))
        with page.expect_download() as download:
            page.evaluate(
                """url => { const link = document.createElement("a");
                link.href = url; document.body.append(link); link.click(); }""",
                document.url,
            )
        assert open(download.value.path(), "rb").read() == b"Compte rendu"
        assert wait_for_events(5) == 5

    with browser.new_context(locale="fr-FR", user_agent=CHROME) as context:
        page = context.new_page()
        page.goto(portal.centre_url("oriv", "/mesure-d-audience/"))
        assert wait_for_events(6) == 5  # a page of the app, not a Wagtail page: not counted
        with subtests.test("privacy page passes axe-core"):
            violations = run_axe(page, axe_source)
            assert not violations, describe_violations(violations)
        button = page.get_by_role("button", name="Ne plus compter mes visites sur ce site")
        button.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("ne sont pas comptées")
        page.goto(portal.centre_url("oriv", "/"))
        page.goto(portal.centre_url("oriv", "/le-centre/"))
        time.sleep(1)
        assert not Event.objects.filter(site=oriv_site).exists()

    assert sorted(Event.objects.values_list("site__hostname", "kind", "path")) == sorted(
        [
            ("localhost", "v", "/"),
            ("localhost", "v", "/les-crpv/"),
            ("irev.localhost", "v", "/"),
            ("irev.localhost", "v", "/le-centre/"),
            ("irev.localhost", "d", document.url),
        ]
    )
    with subtests.test("the browser flags its first visit of the year to each site, once"):
        assert sorted(
            Event.objects.filter(kind=Event.VIEW).values_list(
                "site__hostname", "path", "first_of_year"
            )
        ) == sorted(
            [
                ("localhost", "/", True),
                ("localhost", "/les-crpv/", False),
                ("irev.localhost", "/", True),
                ("irev.localhost", "/le-centre/", False),
            ]
        )

    context, page = report_of(browser, portal, "editeur-irev")
    with context:
        with subtests.test("IREV's editor sees IREV's visits only"):
            assert figures(page, "Pages vues", "Visiteurs", "Visites") == ("2", "1", "1")
            assert figure(page, "Téléchargements (uniques)") == "1 (1)"
            assert page.locator("#id_site option").all_inner_texts() == [irev_site.site_name]
            expect(page.locator(".stats-documents")).to_contain_text("Compte rendu du séminaire")
            expect(page.locator(".stats-pages")).to_contain_text("/le-centre/")

    context, page = report_of(browser, portal, "coordination")
    with context:
        with subtests.test("the coordinator's network view is the sum of the sites"):
            assert figures(page, "Pages vues", "Visiteurs", "Visites") == ("4", "2", "2")
        page.locator("#id_site").select_option(str(Site.objects.get(is_default_site=True).pk))
        page.get_by_role("button", name="Afficher", exact=True).click()
        with subtests.test("the coordinator's view of the portal"):
            assert figures(page, "Pages vues", "Visiteurs") == ("2", "1")
            assert figure(page, "Téléchargements (uniques)") == "0 (0)"
        page.locator("#id_site").select_option(str(irev_site.pk))
        page.get_by_role("button", name="Afficher", exact=True).click()
        with subtests.test("the coordinator's view of IREV"):
            assert figures(page, "Pages vues", "Visiteurs") == ("2", "1")
            assert figure(page, "Téléchargements (uniques)") == "1 (1)"
        page.goto(portal.url("/admin/statistiques/annuel/?site=reseau"))
        with subtests.test("the yearly report counts the year's distinct visitors"):
            rows = page.locator("#section-audience > table tbody tr")
            expect(rows.nth(0)).to_contain_text("Visiteurs distincts de l’année")
            expect(rows.nth(0).locator("td").first).to_have_text("2")
            expect(rows.nth(2).locator("td").first).to_have_text("4")  # page views
        with subtests.test("the yearly report's own markup passes axe-core"):
            page.evaluate(axe_source.read_text())
            violations = page.evaluate(
                "tags => axe.run('.stats-yearly', {runOnly: {type: 'tag', values: tags}})"
                ".then(result => result.violations)",
                AXE_TAGS,
            )
            assert not violations, describe_violations(violations)

    with subtests.test("no address or user agent in the database"):
        for model in apps.get_app_config("stats").get_models():
            for row in model.objects.values_list():
                text = " ".join(map(str, row))
                assert "127.0.0.1" not in text and "Chrome" not in text, (model.__name__, row)
