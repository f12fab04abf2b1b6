"""The Content-Security-Policy holds in a real browser: the public pages and Wagtail's
admin (dashboard, explorer, the page editor with its date choosers, rich text and
choosers, documents and images) run without a single violation in Chromium."""

from wagtail.models import Page

from playwright.sync_api import expect

from agenda.models import EventPage
from demo.seed.network import DEMO_PASSWORD
from publications.models import PublicationPage

# Every violation, whether or not the browser also logs it to the console.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__csp.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                      + ` (${event.sourceFile}:${event.lineNumber})`);
});
"""


def visit(page, url, console):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    seen = page.evaluate("window.__csp") + [m for m in console if "Content Security Policy" in m]
    console.clear()
    return seen


def test_public_pages_and_the_admin_raise_no_csp_violation(portal, browser):
    event = EventPage.objects.live().filter(url_path__contains="/agenda/").first()
    publication = PublicationPage.objects.live().first()
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))

    violations = {}
    public = [
        portal.url("/"),
        portal.url("/agenda/"),
        portal.url("/ressources/"),
        portal.url("/les-crpv/"),
        portal.centre_url("irev", "/"),
        portal.url(f"/evenement/{event.slug}/"),
        portal.url(f"/publication/{publication.slug}/"),
    ]
    for url in public:
        violations[url] = visit(page, url, console)

    page.goto(portal.url("/admin/login/"))
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(portal.url("/admin/"))
    violations["dashboard"] = page.evaluate("window.__csp")

    agenda = event.get_parent()
    content_page = Page.objects.get(
        url_path__endswith="/le-reseau/", depth=3, locale__language_code="fr"
    )
    admin = [
        f"/admin/pages/{event.pk}/edit/",  # date and time choosers, inline panels, tags
        f"/admin/pages/add/agenda/eventpage/{agenda.pk}/",
        f"/admin/pages/{content_page.pk}/edit/",  # StreamField with rich text
        f"/admin/pages/{publication.pk}/edit/",
        f"/admin/pages/{agenda.pk}/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/documents/multiple/add/",
    ]
    for path in admin:
        violations[path] = visit(page, portal.url(path), console)

    # Scripts that run on use: the date chooser's calendar, the page chooser's modal.
    page.goto(portal.url(f"/admin/pages/add/agenda/eventpage/{agenda.pk}/"))
    page.wait_for_load_state("networkidle")
    page.locator("#id_start_date").click()
    page.locator("#id_start_date").fill("15/01/2031")
    page.locator("#id_title").click()
    page.get_by_role("tab").last.click()
    page.wait_for_timeout(300)
    violations["editor in use"] = page.evaluate("window.__csp") + [
        m for m in console if "Content Security Policy" in m
    ]
    context.close()

    assert {where: seen for where, seen in violations.items() if seen} == {}
