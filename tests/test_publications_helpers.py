"""Helpers shared by the library tests, and the unit tests of the listing's parsing."""

from datetime import date
from urllib.parse import urlsplit

import pytest

from django.forms import CheckboxInput
from django.http import QueryDict
from django.test import Client
from django.utils.text import slugify

from publications.listing import Filters, sort_key
from publications.models import LibraryPage, PublicationPage, ResourceKind, WorkingGroupPage

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
    """A publication saved the way the admin does it (a revision, then publish)."""
    fields.setdefault("publication_date", date(2025, 6, 1))
    page = PublicationPage(title=title, slug=slug or slugify(title)[:80], live=publish, **fields)
    parent.add_child(instance=page)
    page.authors.set(authors)
    page.tags.set(list(themes))
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def admin_form_data(form, **changes):
    """What a browser posts back for a Wagtail admin form: every field's rendered value,
    every inline formset (with its management form), then the changes."""
    data = {}

    def add_form(form):
        for name, field in form.fields.items():
            if isinstance(field.widget, CheckboxInput):
                if form[name].value():  # an unticked box posts nothing
                    data[form.add_prefix(name)] = "on"
                continue
            value = field.widget.format_value(form[name].value())
            data[form.add_prefix(name)] = "" if value is None else value
        for formset in getattr(form, "formsets", {}).values():
            for key, value in formset.management_form.initial.items():
                data[formset.management_form.add_prefix(key)] = value
            for child in formset.forms:
                add_form(child)

    add_form(form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- the listing's parsing of the query string -----------------------------------------

pytestmark = pytest.mark.django_db


def parse(query: str) -> Filters:
    return Filters.from_query(QueryDict(query))


def test_known_values_are_kept(network):
    filters = parse("centre=irev&group=sante&kind=publication&theme=santé&year=2023&sort=ancien")
    assert filters.active() == {"centre": "irev", "group": "sante", "kind": "publication",
                                "theme": "santé", "year": "2023", "sort": "ancien"}


@pytest.mark.parametrize("query", [
    "centre=inconnu", "group=inconnu", "kind=inconnue", "theme=inconnu",
    "year=abcd", "year=1850", "year=20233", "sort=au-hasard",
    "centre=" + "i" * 10_000, "theme=<script>alert(1)</script>", "kind=%00",
    "centre=irev%00", "group=sante'--",
])
def test_unknown_or_malformed_values_are_dropped(network, query):
    assert parse(query).active() == {}


def test_surrounding_spaces_are_ignored(network):
    assert parse("centre=+irev+").centre == "irev"


def test_facet_options_sort_in_french_reading_order():
    labels = ["transition écologique", "éducation", "Emploi", "droit", "Égalité"]
    assert sorted(labels, key=sort_key) == ["droit", "éducation", "Égalité", "Emploi",
                                            "transition écologique"]
