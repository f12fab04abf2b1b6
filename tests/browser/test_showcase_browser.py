"""The showcase end to end, in Chromium: an editor of IREV publishes an event in the
Wagtail admin and proposes it from the message shown right after publishing; the
national coordinator features it from the moderation queue; it shows first on the
national front page (ahead of an item featured earlier at rank 2), which axe-core finds
nothing to report on; the editor sees it accepted; unpublishing it removes it from the
front page at once."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from agenda.models import EventPage
from centres.models import Centre
from demo.seed.network import DEMO_PASSWORD
from publications.models import PublicationPage
from showcase import decisions
from showcase.models import Proposal, Status

from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
TITLE = "Rencontre régionale : la participation des habitants"
NOTE = "Ouverte aux professionnels des autres régions."


def log_in(page, url, username):
    page.goto(url)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def featured_earlier():
    """Another centre's publication, featured at rank 2 before the test's event (the
    demo's proposals removed first: the test reads the front page from empty)."""
    Proposal.objects.all().delete()
    oriv = Centre.objects.get(slug="oriv")
    publication = PublicationPage.objects.live().descendant_of(oriv.home_page).first()
    coordinator = Proposal._meta.get_field("decided_by").related_model.objects.get(
        username="coordination"
    )
    decisions.feature(
        decisions.select(publication, coordinator),
        coordinator,
        2,
        timezone.localdate() + timedelta(days=30),
    )
    return publication


def publish_event(page, portal, day):
    irev = Centre.objects.get(slug="irev")
    agenda = irev.home_page.get_children().get(slug="agenda")
    page.goto(portal.centre_url("irev", f"/admin/pages/{agenda.pk}/"))
    page.get_by_role("link", name="Ajouter une sous-page", exact=True).first.click()
    page.get_by_role("link", name="Événement", exact=True).click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_start_date").fill(day.strftime(settings.WAGTAIL_DATE_FORMAT))
    page.keyboard.press("Escape")  # closes the date picker
    page.locator("#id_city").fill("Lille")
    page.locator("#id_summary").fill("Une journée d'échanges entre habitants et professionnels.")
    page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page).to_have_url(portal.centre_url("irev", f"/admin/pages/{agenda.pk}/"))


def test_propose_feature_show_first_then_unpublish(browser, portal, axe_source):
    earlier = featured_earlier()
    day = timezone.localdate() + timedelta(days=20)

    # --- the editor publishes, then proposes from the message shown right after ------
    editor = browser.new_context(viewport=VIEWPORT).new_page()
    log_in(editor, portal.centre_url("irev", "/admin/login/"), "editeur-irev")
    publish_event(editor, portal, day)
    event = EventPage.objects.get(title=TITLE)
    assert event.live
    editor.locator(".messages").get_by_role("link", name="Proposer au portail national").click()
    editor.get_by_label("Note pour la coordination (facultatif)").fill(NOTE)
    editor.get_by_role("button", name="Proposer", exact=True).click()
    row = editor.locator("tr.showcase-proposal").filter(has_text=TITLE)
    expect(row).to_contain_text("en attente")
    proposal = Proposal.objects.get(page=event)
    assert proposal.status == Status.PENDING and proposal.note == NOTE

    # --- the coordinator features it from the queue -----------------------------------
    coordinator = browser.new_context(viewport=VIEWPORT).new_page()
    log_in(coordinator, portal.url("/admin/login/"), "coordination")
    coordinator.goto(portal.url("/admin/portail-national/moderation/"))
    pending = coordinator.locator("#showcase-pending tr").filter(has_text=TITLE)
    expect(pending).to_contain_text("IREV")
    expect(pending).to_contain_text(NOTE)
    pending.get_by_role("link", name=re.compile("^Mettre à la une")).click()
    coordinator.get_by_label("Ordre").fill("1")
    until = timezone.localdate() + timedelta(days=10)
    coordinator.get_by_label("À la une jusqu’au (inclus)").fill(
        until.strftime(settings.WAGTAIL_DATE_FORMAT)
    )
    coordinator.keyboard.press("Escape")
    coordinator.locator("main").get_by_role("button", name="Mettre à la une").click()
    expect(coordinator.locator(".messages")).to_contain_text("le centre est prévenu")

    # --- a visitor: first on the national front page; axe finds nothing ---------------
    visitor = browser.new_context(viewport=VIEWPORT, java_script_enabled=False).new_page()
    visitor.goto(portal.url("/"))
    cards = visitor.locator("section.front-featured li.showcase-card h3")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_have_text(TITLE)
    expect(cards.nth(1)).to_have_text(earlier.title)
    checked = browser.new_context(viewport=VIEWPORT).new_page()
    checked.goto(portal.url("/"))
    violations = run_axe(checked, axe_source)
    assert not violations, "axe on the national front page:\n" + describe_violations(violations)

    # --- the editor sees it accepted (its list and its dashboard) ---------------------
    editor.goto(portal.centre_url("irev", "/admin/portail-national/propositions/"))
    expect(editor.locator("tr.showcase-proposal").filter(has_text=TITLE)).to_contain_text(
        "mise en avant"
    )
    editor.goto(portal.centre_url("irev", "/admin/"))
    expect(editor.locator("#showcase-section")).to_contain_text("mise en avant")

    # --- unpublished: gone from the front page at once --------------------------------
    editor.goto(portal.centre_url("irev", f"/admin/pages/{event.pk}/unpublish/"))
    editor.get_by_role("button", name="Oui, la dépublier").click()
    event.refresh_from_db()
    assert not event.live
    visitor.goto(portal.url("/"))
    expect(visitor.locator("main")).not_to_contain_text(TITLE)
    expect(visitor.locator("section.front-featured li.showcase-card h3")).to_have_text(
        [earlier.title]
    )
