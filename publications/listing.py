"""The library's query layer: which resources a library shows, its filters and their
counts. It reuses the agenda's facet vocabulary (Option, Facet) and pagination so that
the two listings behave alike; the search issue will merge both into one layer.

Queries per request do not depend on the number of publications: one GROUP BY per
facet, one page of results with kinds, authors and tags fetched in bulk."""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from agenda.listing import Facet, Option
from centres.models import Centre

from .models import PublicationPage, PublicationTag, ResourceKind, WorkingGroupPage

SLUG = re.compile(r"^[-\w]+$")
YEAR = re.compile(r"^(19|20)\d\d$")
MAX_LENGTH = 100
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
    co_signed = PublicationPage.objects.filter(authors=centre).values("pk")
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
        values = {}
        for name in cls.NAMES:
            raw = query.get(name, "")
            value = raw.strip() if isinstance(raw, str) else ""
            values[name] = value if len(value) <= MAX_LENGTH and SLUG.match(value or "-") else ""
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


def apply(publications, filters: Filters, *, skip: str = ""):
    if filters.centre and skip != "centre":
        publications = publications.filter(
            pk__in=PublicationPage.objects.filter(authors__slug=filters.centre).values("pk"))
    if filters.group and skip != "group":
        publications = publications.filter(working_group__slug=filters.group)
    if filters.kind and skip != "kind":
        publications = publications.filter(kind__slug=filters.kind)
    if filters.theme and skip != "theme":
        publications = publications.filter(
            pk__in=PublicationTag.objects.filter(tag__slug=filters.theme).values("content_object"))
    if filters.year and skip != "year":
        publications = publications.filter(publication_date__year=int(filters.year))
    return publications


def sort_key(label: str) -> str:
    """French reading order whatever the database's collation: "éducation" between
    "droit" and "emploi" (SQLite would put it after "transition")."""
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()


def facets(scope, filters: Filters) -> list[Facet]:
    """One GROUP BY query per facet, over the resources matching the other filters."""

    def ids(name):
        return apply(scope, filters, skip=name).values("pk")

    def facet(name, label, rows, selected, *, by_label=True):
        options = [Option(str(v), str(t), n, str(v) == selected) for v, t, n in rows if v]
        if by_label:
            options.sort(key=lambda option: sort_key(option.label))
        return Facet(name, label, options)

    result = [
        facet("centre", _("Centre"), Centre.objects.filter(authored_publications__in=ids("centre"))
              .values_list("slug", "name").annotate(n=Count("authored_publications", distinct=True))
              .order_by("name"), filters.centre),
        facet("group", _("Groupe de travail"), WorkingGroupPage.objects
              .filter(publications__in=ids("group")).values_list("slug", "title")
              .annotate(n=Count("publications", distinct=True)).order_by("title"), filters.group),
        facet("kind", _("Nature"), PublicationPage.objects.filter(pk__in=ids("kind"))
              .values_list("kind__slug", "kind__name").annotate(n=Count("pk"))
              .order_by("kind__name"), filters.kind),
        facet("theme", _("Thème"), PublicationTag.objects.filter(content_object__in=ids("theme"))
              .values_list("tag__slug", "tag__name")
              .annotate(n=Count("content_object", distinct=True)).order_by("tag__name"),
              filters.theme),
    ]
    years = (PublicationPage.objects.filter(pk__in=ids("year"))
             .annotate(y=ExtractYear("publication_date")).values_list("y")
             .annotate(n=Count("pk")).order_by("-y"))
    result.append(facet("year", _("Année"), [(y, y, n) for y, n in years], filters.year,
                        by_label=False))
    return result


def with_related(publications):
    return publications.select_related("kind", "working_group", "cover_image").prefetch_related(
        "authors", "tagged_items__tag")
