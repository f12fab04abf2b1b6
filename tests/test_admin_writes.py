"""A publication that fails half-way leaves nothing behind: no orphan draft, and the
editor's second try on the same form publishes (instead of "slug already in use")."""

from datetime import date

from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from wagtail.signals import page_published

from agenda.models import AgendaPage, EventPage

from .admin_forms import admin_form_data


def test_a_failed_publication_of_a_new_page_leaves_no_draft_and_can_be_retried(network):
    agenda = AgendaPage.objects.child_of(network.centres["irev"].home_page).get()
    client = Client(raise_request_exception=False)
    client.force_login(network.user("editeur-irev"))
    url = reverse("wagtailadmin_pages:add", args=["agenda", "eventpage", agenda.pk])
    data = admin_form_data(
        client.get(url).context["form"],
        title="Atelier mémoire des quartiers",
        slug="atelier-memoire-des-quartiers",
        start_date=date(2027, 3, 16).strftime("%d/%m/%Y"),
        start_time="14:30",
        city="Lille",
        **{"action-publish": "action-publish"},
    )

    def locked(**kwargs):
        # What SQLite answered while the autosave wrote (the one failure injected here;
        # tests/test_sqlite_concurrency.py shows the lock itself on a SQLite file).
        raise OperationalError("database is locked")

    page_published.connect(locked, dispatch_uid="test-locked")
    try:
        failed = client.post(url, data)
    finally:
        page_published.disconnect(dispatch_uid="test-locked")
    assert failed.status_code == 500, failed.context and failed.context["form"].errors
    events = EventPage.objects.child_of(agenda).filter(slug="atelier-memoire-des-quartiers")
    assert not events.exists(), "the failed publication left a draft behind"

    retried = client.post(url, data)
    assert retried.status_code == 302, retried.context["form"].errors
    assert [(e.title, e.live) for e in events] == [("Atelier mémoire des quartiers", True)]
