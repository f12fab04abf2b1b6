"""An editor publishes new events one after the other while Wagtail's autosave runs
(it saves the draft every half second of typing, and the publication goes out while a
save may be in flight): ten publications, no server error, no orphan draft. Dates and
times are typed the French ways (ISO date, "14 h 30"): the pickers keep them as typed
and the events get them."""

import re
from datetime import date, time

import pytest
from playwright.sync_api import expect

from agenda.models import EventPage
from centres.models import Centre
from demo.seed.network import DEMO_PASSWORD

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
ROUNDS = 10


def log_in(page, portal):
    page.goto(portal.centre_url("irev", "/admin/login/"))
    page.locator("#id_username").fill("editeur-irev")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def type_slowly(field, text):
    """As a person types, one key after the other."""
    field.click()
    field.press_sequentially(text, delay=30)


# Wagtail's admin notes the form's state 2 s after it loads, then autosaves once edits
# pause for half a second (WAGTAIL_AUTOSAVE_INTERVAL).
SETTLE_MS, AUTOSAVE_PAUSE_MS = 2200, 600


def test_publishing_new_events_while_autosave_runs(browser, portal):
    agenda = Centre.objects.get(slug="irev").home_page.get_children().get(slug="agenda")
    drafts_before = EventPage.objects.child_of(agenda).filter(live=False).count()
    page = browser.new_context(viewport=VIEWPORT).new_page()
    errors = []
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 500 else None
        ),
    )
    log_in(page, portal)

    titles = [f"Atelier de quartier numéro {n}" for n in range(1, ROUNDS + 1)]
    for title in titles:
        page.goto(portal.centre_url("irev", f"/admin/pages/add/agenda/eventpage/{agenda.pk}/"))
        page.wait_for_timeout(SETTLE_MS)
        type_slowly(page.locator("#id_title"), title)
        type_slowly(page.locator("#id_start_date"), "2027-03-16")
        page.keyboard.press("Tab")
        # The date picker keeps what it cannot read in its own format (it used to put
        # today's date there); so does the time picker with "14 h 30".
        expect(page.locator("#id_start_date")).to_have_value("2027-03-16")
        type_slowly(page.locator("#id_start_time"), "14 h 30")
        page.keyboard.press("Tab")
        expect(page.locator("#id_start_time")).to_have_value("14 h 30")
        page.keyboard.press("Escape")  # closes a picker left open
        type_slowly(page.locator("#id_city"), "Lille")
        # Once the event is complete enough, the autosave creates its draft page: the
        # form now edits that page.
        expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=10_000)
        type_slowly(page.locator("#id_summary"), "Une rencontre entre habitants.")
        # A pause, so that an autosave goes out, and publish as it does.
        page.wait_for_timeout(AUTOSAVE_PAUSE_MS)
        page.locator("footer").get_by_role("button", name="Plus d'actions").click()
        page.get_by_role("button", name="Publier", exact=True).click()
        try:
            expect(page).to_have_url(portal.centre_url("irev", f"/admin/pages/{agenda.pk}/"))
        except AssertionError:
            shown = page.locator(".error-message, .w-field__errors, .messages").all_inner_texts()
            pytest.fail(f"publishing {title!r} failed ({page.url}): {shown} {errors}")

    assert errors == []
    events = EventPage.objects.child_of(agenda).filter(title__in=titles)
    assert sorted(e.title for e in events) == sorted(titles)  # one page each
    for event in events:
        assert event.live and not event.has_unpublished_changes, event.title
        assert (event.start_date, event.start_time) == (date(2027, 3, 16), time(14, 30))
    assert EventPage.objects.child_of(agenda).filter(live=False).count() == drafts_before
