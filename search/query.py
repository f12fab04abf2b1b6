"""The search page's side of the shared query layer (`portal.listing`): what a search
covers on each site, its filters (`DIMENSIONS`) and their counts, over the pages the
search backend matched (`search.engine`).

Queries per request do not depend on the number of matches: one GROUP BY (or one
correlated count) per facet over the matched pages as a subquery, one page of
results fetched with its specific fields, centres and tags per content type."""

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from agenda.models import EventPage, EventTag
from centres.models import Centre
from portal.listing import Dimension, Facet, count_facets, narrow, read
from publications.models import PublicationPage, PublicationTag, WorkingGroupPage

from .text import clean_query

SLUG = re.compile(r"^[-\w]+$")
YEAR = re.compile(r"^(19|20)\d\d$")
SORTS = ("pertinence", "date")

# The content types a search lists, with the slug of the type filter. Listings and
# index pages (the agenda, the library, home pages) are ways in, not results.
TYPES = {
    "evenement": ("agenda", "eventpage", _("Événement")),
    "cycle": ("agenda", "eventseriespage", _("Cycle d'événements")),
    "publication": ("publications", "publicationpage", _("Ressource")),
    "groupe": ("publications", "workinggrouppage", _("Groupe de travail")),
    "actualite": ("publications", "newspage", _("Actualité")),
    "contribution": ("publications", "collectivecontributionpage", _("Contribution collective")),
    "page": ("home", "contentpage", _("Page")),
}


def content_types() -> dict[str, ContentType]:
    """Slug → content type (cached by Django's ContentType manager after the first use)."""
    return {slug: ContentType.objects.get_by_natural_key(app, model)
            for slug, (app, model, _label) in TYPES.items()}


def type_label(content_type_id) -> str:
    for slug, content_type in content_types().items():
        if content_type.pk == content_type_id:
            return TYPES[slug][2]
    return ""


# The date a result shows and sorts by: the event's first day, the publication's or the
# news item's date, otherwise the first publication of the page.
RESULT_DATE = Coalesce("eventpage__start_date", "publicationpage__publication_date",
                       "newspage__date", TruncDate("first_published_at"),
                       output_field=DateField())


def centre_pages(centre: Centre) -> Q:
    """The pages of a centre: in its site's tree, or events it co-organises and
    resources it co-signs wherever they are (e.g. a working group's)."""
    return (Q(path__startswith=centre.home_page.path)
            | Q(pk__in=EventPage.objects.filter(organisers=centre).values("pk"))
            | Q(pk__in=PublicationPage.objects.filter(authors=centre).values("pk")))


def in_scope(pages, centre: Centre | None):
    pages = pages.live().public().filter(content_type__in=list(content_types().values()))
    return pages if centre is None else pages.filter(centre_pages(centre))


@dataclass
class Filters:
    """The visitor's query and filters, parsed leniently: a value naming nothing known
    is dropped, so the page answers as if it were absent."""

    q: str = ""
    type: str = ""
    centre: str = ""
    group: str = ""
    theme: str = ""
    year: str = ""
    upcoming: str = ""
    sort: str = ""
    scope: str = ""
    # Objects named by the filters, read while checking that they exist.
    found: dict = field(default_factory=dict, compare=False, repr=False)

    NAMES = ("q", "type", "centre", "group", "theme", "year", "upcoming", "sort", "scope")

    @classmethod
    def from_query(cls, query) -> "Filters":
        values = {name: read(query, name) for name in cls.NAMES if name != "q"}
        raw_q = query.get("q", "")
        values["q"] = clean_query(raw_q if isinstance(raw_q, str) else "")
        for name in ("type", "centre", "group", "theme"):
            if not SLUG.match(values[name] or "-"):
                values[name] = ""
        if values["type"] not in TYPES:
            values["type"] = ""
        if not YEAR.match(values["year"]):
            values["year"] = ""
        values["upcoming"] = "1" if values["upcoming"] == "1" else ""
        values["sort"] = values["sort"] if values["sort"] in SORTS[1:] else ""
        values["scope"] = "reseau" if values["scope"] == "reseau" else ""
        found = {}
        if values["centre"]:
            found["centre"] = (Centre.objects.select_related("home_page")
                               .filter(slug=values["centre"], home_page__isnull=False).first())
        if values["group"]:
            found["group"] = WorkingGroupPage.objects.filter(slug=values["group"]).first()
        if values["theme"] and not (
                EventTag.objects.filter(tag__slug=values["theme"]).exists()
                or PublicationTag.objects.filter(tag__slug=values["theme"]).exists()):
            values["theme"] = ""
        for name in ("centre", "group"):
            if values[name] and found.get(name) is None:
                values[name] = ""
        return cls(**values, found=found)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}


def _narrow_type(pages, slug):
    return pages.filter(content_type=content_types()[slug])


def _count_types(ids):
    rows = (Page.objects.filter(pk__in=ids).values_list("content_type")
            .annotate(n=Count("pk")).order_by())
    by_id = {ct.pk: slug for slug, ct in content_types().items()}
    counts = {by_id[ct]: n for ct, n in rows if ct in by_id}
    return [(slug, TYPES[slug][2], counts[slug]) for slug in TYPES if slug in counts]


def _per_row_count(rows_model, page_filter, ids):
    """Each row of `rows_model` with the number of matched pages `page_filter` relates
    to it: one query, a correlated count per row (19 centres, 12 groups)."""
    pages = (Page.objects.filter(pk__in=ids).filter(page_filter).order_by()
             .annotate(one=Value(1)).values("one").annotate(n=Count("pk", distinct=True))
             .values("n"))
    return rows_model.annotate(n=Coalesce(Subquery(pages), 0)).filter(n__gt=0)


def _narrow_centre(pages, slug, filters=None):
    centre = Centre.objects.select_related("home_page").get(slug=slug)
    return pages.filter(centre_pages(centre))


def _count_centres(ids):
    page_filter = (Q(path__startswith=OuterRef("home_page__path"))
                   | Q(eventpage__organisers=OuterRef("pk"))
                   | Q(publicationpage__authors=OuterRef("pk")))
    rows = _per_row_count(Centre.objects.filter(home_page__isnull=False), page_filter, ids)
    return rows.values_list("slug", "name", "n")


def _group_pages(group) -> Q:
    return (Q(path__startswith=group.path)
            | Q(pk__in=PublicationPage.objects.filter(working_group=group).values("pk")))


def _narrow_group(pages, slug):
    return pages.filter(_group_pages(WorkingGroupPage.objects.get(slug=slug)))


def _count_groups(ids):
    page_filter = (Q(path__startswith=OuterRef("path"))
                   | Q(publicationpage__working_group=OuterRef("pk")))
    rows = _per_row_count(WorkingGroupPage.objects.live(), page_filter, ids)
    return rows.values_list("slug", "title", "n")


def _narrow_theme(pages, slug):
    return pages.filter(
        Q(pk__in=EventTag.objects.filter(tag__slug=slug).values("content_object"))
        | Q(pk__in=PublicationTag.objects.filter(tag__slug=slug).values("content_object")))


def _count_themes(ids):
    counts, labels = {}, {}
    # A page is an event or a publication, never both: the two counts add up.
    for through in (EventTag, PublicationTag):
        rows = (through.objects.filter(content_object__in=ids)
                .values_list("tag__slug", "tag__name")
                .annotate(n=Count("content_object", distinct=True)).order_by())
        for slug, name, n in rows:
            counts[slug] = counts.get(slug, 0) + n
            labels[slug] = name
    return [(slug, labels[slug], n) for slug, n in counts.items()]


def _narrow_year(pages, year):
    return pages.annotate(result_year=ExtractYear(RESULT_DATE)).filter(result_year=int(year))


def _count_years(ids):
    rows = (Page.objects.filter(pk__in=ids).annotate(y=ExtractYear(RESULT_DATE))
            .values_list("y").annotate(n=Count("pk")).order_by("-y"))
    return [(str(y), str(y), n) for y, n in rows if y]


def _narrow_upcoming(pages, value):
    return pages.filter(pk__in=EventPage.objects.filter(ends_at__gte=timezone.now()).values("pk"))


def _count_upcoming(ids):
    n = EventPage.objects.filter(pk__in=ids, ends_at__gte=timezone.now()).count()
    return [("1", _("Événements à venir uniquement"), n)]


DIMENSIONS = (
    Dimension("type", _("Type de contenu"), _narrow_type, _count_types),
    Dimension("centre", _("Centre"), _narrow_centre, _count_centres, by_label=True),
    Dimension("group", _("Groupe de travail"), _narrow_group, _count_groups, by_label=True),
    Dimension("theme", _("Thème"), _narrow_theme, _count_themes, by_label=True),
    Dimension("year", _("Année"), _narrow_year, _count_years),
    Dimension("upcoming", _("Agenda"), _narrow_upcoming, _count_upcoming),
)


def apply(pages, filters: Filters, *, skip: str = ""):
    return narrow(pages, DIMENSIONS, filters, skip=skip)


def facets(scope, filters: Filters) -> list[Facet]:
    return count_facets(scope, DIMENSIONS, filters)


def ordered(pages, filters: Filters):
    """Relevance (the backend's order) or the most recent first."""
    if filters.sort == "date":
        return pages.annotate(result_date=RESULT_DATE).order_by("-result_date", "-pk")
    return pages
