"""The newsletter end to end in Chromium: IREV's editor creates the monthly letter, fills
it with the site's new items, previews it, sends a test to herself and sends it; a real
worker sends it through the suite's SMTP server; the received mail (parsed) lists the
items with working links, and following one counts one click in the admin's figures.
`/lettre/` and `/lettre/archives/` pass axe-core."""

from html import unescape

from django.core.cache import cache

from wagtail.models import Site

import pytest
from playwright.sync_api import expect

from newsletter.models import Letter, LinkClick

from ..newsletter_helpers import confirmed_subscribers, links, monthly, part
from ..smtp_server import smtp  # noqa: F401
from ..task_worker import Worker
from .axe import describe_violations, run_axe
from .test_stats_browser import log_in

pytestmark = pytest.mark.browser


def test_an_editor_fills_previews_tests_and_sends_the_monthly_letter(
    browser, portal, axe_source, smtp
):
    irev = Site.objects.get(hostname="irev.localhost")
    # The mails' links carry the site's address: here, the live server's port.
    Site.objects.filter(pk=irev.pk).update(port=int(portal.port))
    irev.refresh_from_db()
    cache.clear()
    mailing_list = monthly(irev)
    readers = confirmed_subscribers(mailing_list, 2)
    worker = Worker().start()
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        for path in ("/lettre/", "/lettre/archives/"):
            page.goto(portal.centre_url("irev", path))
            violations = run_axe(page, axe_source)
            assert not violations, f"{path}\n{describe_violations(violations)}"

        log_in(page, portal, "editeur-irev")
        page.goto(portal.url("/admin/snippets/newsletter/letter/add/"))
        page.locator("#id_mailing_list").select_option(str(mailing_list.pk))
        page.locator("#id_subject").fill("Les nouveautés de l'IREV")
        page.get_by_role("button", name="Enregistrer").first.click()
        letter = Letter.objects.get(subject="Les nouveautés de l'IREV")

        page.goto(portal.url(f"/admin/lettres/{letter.pk}/"))
        page.get_by_role("button", name="Remplir avec les nouveautés").click()
        expect(page.get_by_text("nouveauté(s) ajoutée(s)")).to_be_visible()
        letter.refresh_from_db()
        titles = [b.value["title"] for b in letter.body if b.block_type == "item"]
        assert titles
        preview = page.frame_locator("iframe[title='Aperçu de la lettre']")
        expect(preview.get_by_role("link", name=titles[0]).first).to_be_visible()

        page.get_by_role("button", name="M’envoyer un test").click()
        expect(page.get_by_text("Test envoyé à editeur-irev@example.org")).to_be_visible()
        [test_mail] = smtp.to("editeur-irev@example.org")
        assert smtp.subject(test_mail).startswith("[TEST]")

        page.get_by_role("button", name="Envoyer", exact=True).click()
        expect(page.get_by_text("Envoi lancé")).to_be_visible()
        worker.wait(60, until=lambda: Letter.objects.get(pk=letter.pk).status == Letter.SENT)

        [mail] = smtp.to(readers[0].email)
        html, text = part(mail, "text/html"), part(mail, "text/plain")
        for title in titles:
            # The HTML part writes a no-break space as an entity (&nbsp;).
            assert title in unescape(html) and title in text
        tracked = [url for url in links(text) if "/lettre/lien/" in url]
        assert len(tracked) >= len(titles)
        # Following the first item's link: the page, and one click counted.
        page.goto(tracked[0])
        expect(page.locator("h1").first).to_have_text(titles[0])
        assert sum(LinkClick.objects.filter(letter=letter).values_list("clicks", flat=True)) == 1
        page.goto(portal.url(f"/admin/lettres/{letter.pk}/"))
        expect(page.locator("#letter-clicks tbody td").nth(1)).to_have_text("1")
        expect(page.locator("#count-sent")).to_have_text("2")
    finally:
        context.close()
        worker.stop()
