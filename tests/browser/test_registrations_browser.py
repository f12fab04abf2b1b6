"""Registering end to end in Chromium (issue #20's "done when"): a visitor registers with
the keyboard only on an event page that passes axe-core; the confirmation arrives through
the suite's SMTP server (sent by a real task worker) with a valid `.ics`; the event is
then full and a second visitor goes on the waiting list; the first cancels by the link
in the mail, and the second is promoted and mailed; the organiser checks people in,
exports the list, and the yearly figures by profile show the right counts.

Every public page of that journey passes axe-core too: the answers (confirmed, waiting
list, already registered, too many requests), the form sent back with its errors, the
personal link's page, the cancelled and bad-link pages, and the event page open, full
(with and without a waiting list) and closed."""

from django.core.cache import cache

from wagtail.models import Site

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from agenda.models import AgendaPage
from centres.models import Centre
from newsletter.models import Profile
from registrations.models import Seat

from ..factories import EventPageFactory, OpeningFactory
from ..newsletter_helpers import links, part
from ..smtp_server import smtp  # noqa: F401
from ..task_worker import Worker
from .axe import describe_violations, run_axe
from .test_stats_browser import log_in

pytestmark = pytest.mark.browser
TIMEOUT = 10_000  # ms, every wait


def tab_to(page, selector, limit=150):
    """Presses Tab until the element is focused (a keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus by Tab")


def assert_accessible(page, axe_source):
    violations = run_axe(page, axe_source)
    assert not violations, describe_violations(violations)


def register_by_keyboard(page, opening, email, name):
    prefix = f"#id_reg{opening.pk}_"
    tab_to(page, prefix + "email")
    page.keyboard.press("Control+A")  # a form sent back with errors keeps what was typed
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type("Ville de Roubaix")
    page.keyboard.press("Tab")  # the profile: the first of the list
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Nord")
    page.keyboard.press("Tab")  # accessibility needs: none
    page.keyboard.press("Tab")  # the honeypot is skipped (tabindex -1): the button
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")


def table(page, caption):
    return page.locator("table", has=page.locator("caption", has_text=caption))


def attachment(message, content_type):
    for sub in message.walk():
        if sub.get_content_type() == content_type and sub.get_filename():
            return sub.get_payload(decode=True)
    raise AssertionError(f"no {content_type} attachment")


def irev_event_on(portal):
    """A new event of IREV's agenda, and IREV's home page, with IREV's site on the live
    server's port: the pages' and the mails' addresses then lead there."""
    irev = Site.objects.get(hostname="irev.localhost")
    Site.objects.filter(pk=irev.pk).update(port=int(portal.port))
    cache.clear()
    Site.clear_site_root_paths_cache()
    home = Centre.objects.get(slug="irev").home_page
    return EventPageFactory(parent=AgendaPage.objects.child_of(home).get()), home


def test_register_cancel_promote_check_in_and_count(browser, portal, axe_source, smtp):
    event, home = irev_event_on(portal)
    opening = OpeningFactory(page=event, capacity=1)
    profile = Profile.objects.order_by("sort_order", "name").first()
    worker = Worker().start()
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    try:
        page.goto(event.full_url)
        expect(page.get_by_text("1 place disponible")).to_be_visible()
        assert_accessible(page, axe_source)

        register_by_keyboard(page, opening, "camille@exemple.fr", "Camille Martin")
        expect(page.locator("h1")).to_have_text("Inscription confirmée")
        assert_accessible(page, axe_source)
        worker.wait(60, until=lambda: smtp.to("camille@exemple.fr"))
        [mail] = smtp.to("camille@exemple.fr")
        [vevent] = Calendar.from_ical(attachment(mail, "text/calendar")).walk("VEVENT")
        assert str(vevent["summary"]) == event.title
        [cancel] = [u for u in links(part(mail, "text/plain")) if "/inscription/annuler/" in u]

        # Full now: the page says so, and the next goes on the waiting list.
        page.goto(event.full_url)
        expect(page.get_by_text("Complet", exact=True)).to_be_visible()
        assert_accessible(page, axe_source)
        register_by_keyboard(page, opening, "dominique@exemple.fr", "Dominique Petit")
        expect(page.locator("h1")).to_have_text("Vous êtes sur la liste d’attente")
        assert_accessible(page, axe_source)

        # The first cancels by the link in the mail: the second is promoted and mailed.
        page.goto(cancel)
        expect(page.locator("h1")).to_have_text("Annuler mon inscription")
        assert_accessible(page, axe_source)
        tab_to(page, "main button[type=submit]")
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text("Inscription annulée")
        assert_accessible(page, axe_source)
        worker.wait(
            60,
            until=lambda: any(
                "place s’est libérée" in smtp.subject(m) for m in smtp.to("dominique@exemple.fr")
            ),
        )
        seat = Seat.objects.get(event=event)
        assert seat.registrant.email == "dominique@exemple.fr" and seat.status == Seat.CONFIRMED

        # The organiser checks her in, exports the list, reads the figures.
        log_in(page, portal, "editeur-irev")
        page.goto(portal.url(f"/admin/inscriptions/{opening.pk}/"))
        page.get_by_label("présent", exact=True).check()
        page.get_by_role("button", name="Enregistrer les présences").click()
        expect(page.get_by_text("Présences enregistrées.")).to_be_visible()
        seat.refresh_from_db()
        assert seat.attended is True
        with page.expect_download() as download:
            page.get_by_role("link", name="Exporter (CSV)").click()
        exported = open(download.value.path(), encoding="utf-8-sig").read()
        assert "dominique@exemple.fr" in exported and "présent" in exported
        year = event.start_date.year
        page.goto(portal.url(f"/admin/inscriptions/chiffres/?annee={year}"))
        # The event's own row (date, centre, then the counts): one registered, one
        # present, no no-show, none left unchecked.
        event_row = table(page, "Par événement").locator("tr", has_text=event.title)
        expect(event_row.locator("td").nth(1)).to_have_text(home.get_site().site_name)
        for column, count in enumerate(("1", "1", "0", "0"), start=2):
            expect(event_row.locator("td").nth(column)).to_have_text(count)
        # The profile's row counts the centre's year (the demo's registrations too),
        # counted here straight from the seats.
        mine = Seat.objects.filter(
            event__start_date__year=year,
            event__path__startswith=home.path,
            registrant__profile=profile,
            status=Seat.CONFIRMED,
        )
        row = table(page, "Par profil").locator("tr", has_text=profile.name)
        expect(row.locator("td").nth(0)).to_have_text(str(mine.count()))
        expect(row.locator("td").nth(1)).to_have_text(str(mine.filter(attended=True).count()))
        assert mine.filter(attended=True).count() >= 1
    finally:
        context.close()
        worker.stop()


def test_the_forms_other_answers_and_the_event_pages_states_pass_axe(
    browser, portal, axe_source, settings
):
    event, _home = irev_event_on(portal)
    opening = OpeningFactory(page=event, capacity=2, waiting_list=False)
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    try:
        # Sent with a wrong address (and nothing else): the form comes back with its
        # errors; corrected with the keyboard, it registers.
        page.goto(event.full_url)
        tab_to(page, f"#id_reg{opening.pk}_email")
        page.keyboard.type("pas-une-adresse")
        page.keyboard.press("Enter")
        expect(page.locator("h1")).to_have_text(f"Inscription\u00a0: {event.title}")
        expect(page.locator(f"#id_reg{opening.pk}_email-error")).to_be_visible()
        expect(page.locator(".form-errors")).to_contain_text("n’est pas enregistrée")
        assert_accessible(page, axe_source)
        register_by_keyboard(page, opening, "sacha@exemple.fr", "Sacha Roux")
        expect(page.locator("h1")).to_have_text("Inscription confirmée")

        page.goto(event.full_url)
        register_by_keyboard(page, opening, "sacha@exemple.fr", "Sacha Roux")
        expect(page.locator("h1")).to_have_text("Vous êtes déjà inscrit")
        expect(page.get_by_text("courriel de confirmation reçu alors")).to_be_visible()
        assert_accessible(page, axe_source)

        # One registration too many from this connection: the 429 page.
        settings.REGISTRATIONS_LIMIT_PER_CLIENT = 0
        page.goto(event.full_url)
        register_by_keyboard(page, opening, "trop@exemple.fr", "Claude Trop")
        expect(page.locator("h1")).to_have_text("Trop de demandes")
        assert_accessible(page, axe_source)
        settings.REGISTRATIONS_LIMIT_PER_CLIENT = 30

        # The last place taken, no waiting list: "complet", and no form.
        page.goto(event.full_url)
        register_by_keyboard(page, opening, "eden@exemple.fr", "Eden Morel")
        expect(page.locator("h1")).to_have_text("Inscription confirmée")
        page.goto(event.full_url)
        expect(page.locator(".registration-state.full")).to_contain_text("plus aucune place")
        expect(page.locator(f"#id_reg{opening.pk}_email")).to_have_count(0)
        assert_accessible(page, axe_source)

        # Closed by the organiser: "inscriptions closes".
        opening.is_open = False
        opening.save()
        page.goto(event.full_url)
        expect(page.locator(".registration-state.closed")).to_have_text("Inscriptions closes")
        # The place of an event without a venue: its city alone, no comma before it.
        expect(page.locator("dt:text-is('Lieu') + dd")).to_have_text(event.city)
        assert_accessible(page, axe_source)

        page.goto(portal.centre_url("irev", "/inscription/annuler/pas-un-jeton/"))
        expect(page.locator("h1")).to_have_text("Lien invalide")
        assert_accessible(page, axe_source)
    finally:
        context.close()
