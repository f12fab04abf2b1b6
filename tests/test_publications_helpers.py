"""Helpers shared by the library tests, and the unit tests of the listing's parsing."""

from datetime import date
from urllib.parse import urlsplit

from django.http import QueryDict
from django.test import Client
from django.utils.text import slugify

import pytest

from publications.listing import Filters, sort_key
from publications.models import LibraryPage, ResourceKind, WorkingGroupPage

from .admin_forms import admin_form_data  # noqa: F401  (used by the publication tests)
from .factories import PublicationPageFactory

NATIONAL = "localhost"


def fetch(url, **extra):
    """GET an absolute URL on the host it names (the test client ignores the host)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return Client(HTTP_HOST=parts.netloc or NATIONAL).get(path, **extra)


def library_of(home) -> LibraryPage:
    return LibraryPage.objects.child_of(home).get()


def group(slug) -> WorkingGroupPage:
    return WorkingGroupPage.objects.get(slug=slug)


def kind(slug) -> ResourceKind:
    return ResourceKind.objects.get(slug=slug)


def make_publication(parent, title, *, authors=(), themes=(), publish=True, slug=None, **fields):
    """A publication saved the way the admin does it (`PublicationPageFactory`), with
    what these tests read: dated 1 June 2025, no summary."""
    fields.setdefault("publication_date", date(2025, 6, 1))
    fields.setdefault("summary", "")
    return PublicationPageFactory(
        parent=parent,
        title=title,
        slug=slug or slugify(title)[:80],
        authors=list(authors),
        tags=themes,
        live=publish,
        **fields,
    )


# --- the listing's parsing of the query string -----------------------------------------

pytestmark = pytest.mark.django_db


def parse(query: str) -> Filters:
    return Filters.from_query(QueryDict(query))


def test_known_values_are_kept(network):
    filters = parse("centre=irev&group=sante&kind=publication&theme=santé&year=2023&sort=ancien")
    assert filters.active() == {
        "centre": "irev",
        "group": "sante",
        "kind": "publication",
        "theme": "santé",
        "year": "2023",
        "sort": "ancien",
    }


@pytest.mark.parametrize(
    "query",
    [
        "centre=inconnu",
        "group=inconnu",
        "kind=inconnue",
        "theme=inconnu",
        "year=abcd",
        "year=1850",
        "year=20233",
        "sort=au-hasard",
        "centre=" + "i" * 10_000,
        "theme=<script>alert(1)</script>",
        "kind=%00",
        "centre=irev%00",
        "group=sante'--",
    ],
)
def test_unknown_or_malformed_values_are_dropped(network, query):
    assert parse(query).active() == {}


def test_surrounding_spaces_are_ignored(network):
    assert parse("centre=+irev+").centre == "irev"


def test_facet_options_sort_in_french_reading_order():
    labels = ["transition écologique", "éducation", "Emploi", "droit", "Égalité"]
    assert sorted(labels, key=sort_key) == [
        "droit",
        "éducation",
        "Égalité",
        "Emploi",
        "transition écologique",
    ]
