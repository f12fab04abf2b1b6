"""The benchmark's bulk events and publications are indexed for search in bulk
(bench/search_index.py): each row must be what Wagtail's own indexing writes for the
same page (vectors, weights, texts), and search must find them."""

from django.db import connection
from django.test import Client

from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

import pytest

from agenda.models import EventPage
from bench.seed import (
    BULK_EVENT_SLUG_PREFIX,
    BULK_PUBLICATION_SLUG_PREFIX,
    add_bulk_events,
    add_bulk_publications,
)
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db


def row(page):
    entry = (
        IndexEntry.objects.filter(object_id=str(page.pk))
        .values("content_type_id", "title_text", "body_text", "title_norm")
        .get()
    )
    with connection.cursor() as cursor:  # the vectors as text (exact lexemes, positions, weights)
        cursor.execute(
            f"SELECT title::text, body::text, autocomplete::text "
            f"FROM {IndexEntry._meta.db_table} WHERE object_id = %s",
            [str(page.pk)],
        )
        entry["title"], entry["body"], entry["autocomplete"] = cursor.fetchone()
    return entry


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk SQL rows: PostgreSQL")
@pytest.mark.parametrize(
    "model, prefix, add",
    [
        (EventPage, BULK_EVENT_SLUG_PREFIX, add_bulk_events),
        (PublicationPage, BULK_PUBLICATION_SLUG_PREFIX, add_bulk_publications),
    ],
)
def test_bulk_rows_equal_wagtails_own_indexing(network, model, prefix, add):
    add(3, log=lambda message: None)
    pages = list(model.objects.filter(slug__startswith=prefix).order_by("pk"))
    assert len(pages) == 3
    bulk = {page.pk: row(page) for page in pages}
    assert all(entry["body"] and entry["title"] for entry in bulk.values())
    backend = get_search_backend("default")
    for page in pages:
        backend.add(model.objects.get(pk=page.pk))  # Wagtail's own indexing of the saved page
        own = row(page)
        for key in ("content_type_id", "title", "body", "autocomplete", "title_text", "body_text"):
            assert bulk[page.pk][key] == own[key], (page.title, key)
        assert bulk[page.pk]["title_norm"] == pytest.approx(own["title_norm"], rel=0.05)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk SQL rows: PostgreSQL")
def test_search_finds_bulk_items(network):
    add_bulk_publications(2, log=lambda message: None)
    publication = PublicationPage.objects.get(slug=f"{BULK_PUBLICATION_SLUG_PREFIX}1")
    number = publication.title.rsplit("(", 1)[-1].strip(")")
    response = Client(HTTP_HOST="localhost").get("/recherche/", {"q": publication.title})
    assert response.status_code == 200
    assert f"({number})" in response.content.decode()


def test_bulk_items_are_indexed_on_every_database(network):
    """On SQLite (the bench's default) Wagtail's own indexing writes the rows."""
    add_bulk_events(2, log=lambda message: None)
    event = EventPage.objects.get(slug=f"{BULK_EVENT_SLUG_PREFIX}2")
    assert IndexEntry.objects.filter(object_id=str(event.pk)).exists()
