"""The library's query layer: which resources a library shows, its filters and their
counts, as `DIMENSIONS` of the shared query layer (`portal.listing`) that the agenda
and the search page use too.

Queries per request do not depend on the number of publications: one GROUP BY per
facet, one page of results with kinds, authors and tags fetched in bulk."""

import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from centres.consent import accepted_links, pages_of, prefetch_agreed
from centres.models import Centre

# sort_key is the shared layer's; the library's tests import it from here.
from portal.listing import Dimension, Facet, count_facets, narrow, read, sort_key  # noqa: F401

from .models import PublicationPage, PublicationTag, ResourceKind, WorkingGroupPage

SLUG = re.compile(r"^[-\w]+$")
YEAR = re.compile(r"^(19|20)\d\d$")
SORTS = {"recent": "-publication_date", "ancien": "publication_date"}

# What each slug filter names. A value naming nothing is dropped (the listing answers as
# if it were absent) rather than narrowing the library to nothing: an old or mistyped
# link then still shows resources, and its feed is not an empty one forever.
KNOWN = {
    "centre": lambda slug: Centre.objects.filter(slug=slug),
    "group": lambda slug: WorkingGroupPage.objects.filter(slug=slug),
    "kind": lambda slug: ResourceKind.objects.filter(slug=slug),
    "theme": lambda slug: PublicationTag.objects.filter(tag__slug=slug),
}


def publications_in_scope(library):
    """The network's resources on the portal; a centre's own (in its tree or co-signed by
    it, including working-group publications it co-signed) on a centre's site."""
    publications = PublicationPage.objects.live().public()
    centre = library.centre
    if centre is None:
        return publications
    # Only the resources the centre agreed to co-sign (centres.consent).
    co_signed = pages_of(PublicationPage.authors, pk=centre.pk)
    return publications.filter(Q(path__startswith=centre.home_page.path) | Q(pk__in=co_signed))


@dataclass
class Filters:
    centre: str = ""
    group: str = ""
    kind: str = ""
    theme: str = ""
    year: str = ""
    sort: str = ""

    NAMES = ("centre", "group", "kind", "theme", "year", "sort")

    @classmethod
    def from_query(cls, query) -> "Filters":
        values = {name: read(query, name) for name in cls.NAMES}
        values = {name: value if SLUG.match(value or "-") else "" for name, value in values.items()}
        for name, lookup in KNOWN.items():
            if values[name] and not lookup(values[name]).exists():
                values[name] = ""
        if values["year"] and not YEAR.match(values["year"]):
            values["year"] = ""
        if values["sort"] not in SORTS:
            values["sort"] = ""
        return cls(**values)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}


def _narrow_centre(publications, slug):
    return publications.filter(pk__in=pages_of(PublicationPage.authors, slug=slug))


def _narrow_theme(publications, slug):
    return publications.filter(
        pk__in=PublicationTag.objects.filter(tag__slug=slug).values("content_object")
    )


def _count_centres(ids):
    return (
        accepted_links(PublicationPage.authors)
        .filter(publicationpage__in=ids)
        .values_list("centre__slug", "centre__name")
        .annotate(n=Count("publicationpage", distinct=True))
        .order_by("centre__name")
    )


def _count_groups(ids):
    return (
        WorkingGroupPage.objects.filter(publications__in=ids)
        .values_list("slug", "title")
        .annotate(n=Count("publications", distinct=True))
        .order_by("title")
    )


def _count_kinds(ids):
    return (
        PublicationPage.objects.filter(pk__in=ids)
        .values_list("kind__slug", "kind__name")
        .annotate(n=Count("pk"))
        .order_by("kind__name")
    )


def _count_themes(ids):
    return (
        PublicationTag.objects.filter(content_object__in=ids)
        .values_list("tag__slug", "tag__name")
        .annotate(n=Count("content_object", distinct=True))
        .order_by("tag__name")
    )


def _count_years(ids):
    rows = (
        PublicationPage.objects.filter(pk__in=ids)
        .annotate(y=ExtractYear("publication_date"))
        .values_list("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    return [(y, str(y), n) for y, n in rows]


DIMENSIONS = (
    Dimension("centre", _("Centre"), _narrow_centre, _count_centres, by_label=True),
    Dimension(
        "group",
        _("Groupe de travail"),
        lambda p, v: p.filter(working_group__slug=v),
        _count_groups,
        by_label=True,
    ),
    Dimension(
        "kind", _("Nature"), lambda p, v: p.filter(kind__slug=v), _count_kinds, by_label=True
    ),
    Dimension("theme", _("Thème"), _narrow_theme, _count_themes, by_label=True),
    Dimension(
        "year", _("Année"), lambda p, v: p.filter(publication_date__year=int(v)), _count_years
    ),
)


def apply(publications, filters: Filters, *, skip: str = ""):
    return narrow(publications, DIMENSIONS, filters, skip=skip)


def facets(scope, filters: Filters) -> list[Facet]:
    """One GROUP BY query per facet, over the resources matching the other filters."""
    return count_facets(scope, DIMENSIONS, filters)


def with_related(publications):
    return publications.select_related("kind", "working_group", "cover_image").prefetch_related(
        "authors", prefetch_agreed(), "tagged_items__tag"
    )
