"""A publication that fails half-way leaves nothing behind: no orphan draft, and the
editor's second try on the same form publishes (instead of "slug already in use")."""

from datetime import date

from django.contrib.auth import get_user_model
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


def test_an_autosave_during_a_publication_does_not_unpublish_the_page(portal):
    """Wagtail's autosave reads a draft, then saves it whole. An autosave that reads
    the page while the publication is under way must not write `live=False` back once
    the publication commits (it did on PostgreSQL: the browser test's second event of
    ten stayed a draft). Real threads, real commits (`portal`): the publication is held
    open in its `page_published` receiver while the autosave comes in."""
    from threading import Event, Thread

    from django.db import connection

    from centres.models import Centre

    from .factories import EventPageFactory

    agenda = Centre.objects.get(slug="irev").home_page.get_children().get(slug="agenda")
    event = EventPageFactory(parent=agenda, title="Atelier pendant l'autosave", live=False)
    editor = Client(HTTP_HOST="irev.localhost")
    editor.force_login(get_user_model().objects.get(username="editeur-irev"))
    url = reverse("wagtailadmin_pages:edit", args=[event.pk])
    form = editor.get(url).context["form"]
    loaded = {
        "loaded_revision_id": str(event.latest_revision_id),
        "loaded_revision_created_at": event.latest_revision.created_at.isoformat(),
    }
    publishing, release, answers = Event(), Event(), {}

    def hold(**kwargs):
        publishing.set()
        release.wait(10)

    def post(name, **changes):
        try:
            answers[name] = editor.post(
                url,
                admin_form_data(form, **loaded, **changes),
                HTTP_ACCEPT="application/json" if name == "autosave" else "text/html",
            )
        finally:
            connection.close()  # this thread's own connection

    page_published.connect(hold, dispatch_uid="test-hold")
    try:
        publication = Thread(target=post, args=["publish"], kwargs={"action-publish": "1"})
        publication.start()
        assert publishing.wait(10), "the publication did not reach page_published"
        autosave = Thread(target=post, args=["autosave"], kwargs={"summary": "Plus tard."})
        autosave.start()
        autosave.join(0.8)  # time for it to read the page, were it not made to wait
        release.set()
        publication.join(20)
        autosave.join(20)
    finally:
        release.set()
        page_published.disconnect(dispatch_uid="test-hold")

    assert answers["publish"].status_code == 302
    # The autosave came second: Wagtail refuses it as out of date rather than save.
    assert answers["autosave"].status_code == 400, answers["autosave"].content
    event.refresh_from_db()
    assert event.live and not event.has_unpublished_changes
    assert event.summary != "Plus tard."
