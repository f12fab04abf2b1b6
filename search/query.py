"""The search page's side of the shared query layer (`portal.listing`): what a search
covers on each site, its filters (`DIMENSIONS`) and their counts, over the pages the
search backend matched (`search.engine`).

The full-text match runs once per search: `ranked_ids` is the list of matching page
ids, best first (cached under the content version), and everything else (filters,
facet counts, the date sort, the page of results) works on that id set (`found`)
with plain columns and join tables, never recomputing the match. Queries per request
do not depend on the number of matches: one GROUP BY per facet, one page of results
fetched with its specific fields, centres and tags per content type."""

import json
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import BooleanField, Count, DateField, F, Func, Q
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from agenda.models import EventPage, EventTag
from centres.models import Centre
from portal.listing import Dimension, Facet, count_facets, narrow, read
from publications.models import NewsTag, PublicationPage, PublicationTag, WorkingGroupPage

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


class InIds(Func):
    """`filter(InIds("pk", ids))`: the column is one of `ids`, passed as one parameter
    (`= ANY(array)` on PostgreSQL, a JSON list on SQLite), not one placeholder per id:
    30,000 matches stay one short query, and PostgreSQL knows how many rows to expect
    (hash joins, not one index probe per id as with `IN (SELECT unnest(...))`)."""

    output_field = BooleanField()

    def __init__(self, field: str, ids):
        super().__init__(F(field))
        self.ids = [int(pk) for pk in ids]

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s::integer[])", [*params, self.ids]
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(self.ids)]


def found(ids: list[int]):
    """The matched pages as a queryset over the id set (no full-text match in it)."""
    return Page.objects.filter(InIds("pk", ids)).order_by()


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
        if values["theme"] and not any(
                through.objects.filter(tag__slug=values["theme"]).exists()
                for through in THEME_THROUGHS):
            values["theme"] = ""
        for name in ("centre", "group"):
            if values[name] and found.get(name) is None:
                values[name] = ""
        return cls(**values, found=found)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}

    def narrows(self) -> bool:
        """Whether a facet filter is chosen (else the results are the whole match)."""
        return any(getattr(self, dimension.name) for dimension in DIMENSIONS)


def _pages(ids):
    """The matched pages a count runs over: `ids` itself when it is already a query of
    pages (the search's id set), rather than the pages whose pk is in it (one join less)."""
    return ids if ids.model is Page else Page.objects.filter(pk__in=ids)


def _narrow_type(pages, slug):
    return pages.filter(content_type=content_types()[slug])


def _count_types(ids):
    rows = (_pages(ids).values_list("content_type")
            .annotate(n=Count("pk")).order_by())
    by_id = {ct.pk: slug for slug, ct in content_types().items()}
    counts = {by_id[ct]: n for ct, n in rows if ct in by_id}
    return [(slug, TYPES[slug][2], counts[slug]) for slug in TYPES if slug in counts]


def _count_by_key(ids, prefixes: dict[str, int], links) -> dict[int, int]:
    """{key: number of matched pages} in one GROUP BY over the id set, a page counting
    once per key whether it is in the key's tree (its path starts with one of
    `prefixes`: path → key) or linked to the key by a row of `links` (table, page
    column, key column). A correlated count per centre or group would read the whole
    id set once per row (19 centres, 12 groups)."""
    if not prefixes:
        return {}
    ids_sql, ids_params = _pages(ids).values_list("pk", "path").order_by().query.sql_with_params()
    params = list(ids_params)
    # Pages in a key's tree: a hash join of the pages' path prefix with the keys' paths
    # (a VALUES list, one branch per path length: all centres' homes share one depth).
    branches = []
    for length in sorted({len(path) for path in prefixes}):
        rows = [(path, key) for path, key in prefixes.items() if len(path) == length]
        values = ", ".join("(%s, %s)" for _row in rows)
        params += [value for row in rows for value in row]
        branches.append(f"SELECT k.column2 AS k, m.id AS p FROM m JOIN (VALUES {values}) k"
                        f" ON k.column1 = substr(m.path, 1, {length})")
    branches += [f"SELECT t.{key_col}, t.{page_col} FROM {table} t"
                 f" WHERE t.{page_col} IN (SELECT id FROM m)" for table, page_col, key_col in links]
    # UNION (not ALL) keeps each (key, page) pair once: a page in a centre's tree that
    # the centre also organises counts once.
    sql = (f"WITH m (id, path) AS ({ids_sql}) SELECT k, COUNT(*) FROM ("
           + " UNION ".join(branches) + ") u WHERE k IS NOT NULL GROUP BY k")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _link(relation, page_model):
    """(table, page column, key column) of a many-to-many's join table."""
    through = relation.through._meta
    page_field = next(f for f in through.fields
                      if f.is_relation and f.related_model is page_model)
    key_field = next(f for f in through.fields
                     if f.is_relation and f.related_model is not page_model and not f.primary_key)
    return through.db_table, page_field.column, key_field.column


def _narrow_centre(pages, slug, filters=None):
    centre = Centre.objects.select_related("home_page").get(slug=slug)
    return pages.filter(centre_pages(centre))


def _count_centres(ids):
    centres = list(Centre.objects.filter(home_page__isnull=False)
                   .values_list("pk", "slug", "name", "home_page__path"))
    counts = _count_by_key(ids, {path: pk for pk, _s, _n, path in centres}, [
        _link(EventPage.organisers, EventPage), _link(PublicationPage.authors, PublicationPage)])
    return [(slug, name, counts[pk]) for pk, slug, name, _path in centres if counts.get(pk)]


def _group_pages(group) -> Q:
    return (Q(path__startswith=group.path)
            | Q(pk__in=PublicationPage.objects.filter(working_group=group).values("pk")))


def _narrow_group(pages, slug):
    return pages.filter(_group_pages(WorkingGroupPage.objects.get(slug=slug)))


def _count_groups(ids):
    groups = list(WorkingGroupPage.objects.live().values_list("pk", "slug", "title", "path"))
    working_group = PublicationPage._meta.get_field("working_group").column
    counts = _count_by_key(ids, {path: pk for pk, _s, _t, path in groups}, [
        (PublicationPage._meta.db_table, PublicationPage._meta.pk.column, working_group)])
    return [(slug, title, counts[pk]) for pk, slug, title, _path in groups if counts.get(pk)]


# The page types that carry themes (taggit tags), each through its own table.
THEME_THROUGHS = (EventTag, PublicationTag, NewsTag)


def _narrow_theme(pages, slug):
    themed = Q()
    for through in THEME_THROUGHS:
        themed |= Q(pk__in=through.objects.filter(tag__slug=slug).values("content_object"))
    return pages.filter(themed)


def _count_themes(ids):
    counts, labels = {}, {}
    # A page is of one type only: the counts of the through tables add up.
    for through in THEME_THROUGHS:
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
    rows = (_pages(ids).annotate(y=ExtractYear(RESULT_DATE))
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
