"""The search's own table of what it may list, in each process's memory: for every page
in its scope (live, public, of a listed type) the facts its filters, facet counts and
date sort read — type, date, centres, working groups, themes, end of an event.

Why: the full-text match finds the pages once; everything after it is arithmetic over
their ids. Done in SQL it cost one GROUP BY per facet over thousands of ids (about
300 ms for a query matching a sixth of the benchmark network, docs/search.md); here it
costs a few milliseconds. The table is read from the database once per content version
(any publication, move, deletion: about half a second for 39,000 pages), after the
commit and off the request path (`warm`, run by portal.warmup), then shared with the
other processes through the cache and by each process's threads; it holds the same
definitions as the listings' SQL (`RESULT_DATE`, `centre_pages`), tested against them."""

import threading
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from wagtail.models import Page

import numpy as np

from agenda.models import EventPage
from centres.consent import accepted_links
from centres.models import Centre
from portal.cache import TIMEOUT, content_version
from publications.models import PublicationPage, WorkingGroupPage

NO_END = np.iinfo(np.int64).min


class Table:
    """One row per page, in page id order: `pks`, and a column per fact (a code, a day
    number, or one boolean column per centre, working group and theme)."""

    def __init__(self, pks, types, days, years, ends, members: dict, labels: dict):
        self.pks, self.types, self.days, self.years, self.ends = pks, types, days, years, ends
        self.members = members  # "centre" / "group" / "theme" -> bool matrix rows × keys
        self.labels = labels  # the same names -> [(slug, label)] for the matrix's columns
        self.columns = {
            name: {slug: i for i, (slug, _label) in enumerate(keys)}
            for name, keys in labels.items()
        }

    def __getstate__(self):
        # Shared through the cache (Redis): the boolean matrices packed eight to a byte.
        state = dict(self.__dict__)
        state["members"] = {
            name: (np.packbits(matrix, axis=0), matrix.shape)
            for name, matrix in self.members.items()
        }
        return state

    def __setstate__(self, state):
        state["members"] = {
            name: np.unpackbits(packed, axis=0, count=shape[0]).astype(bool).reshape(shape)
            for name, (packed, shape) in state["members"].items()
        }
        self.__dict__.update(state)

    def matches(self, ids, centre=None) -> "Matches":
        """`ids` (best first) that a search may list, on one centre's pages or all."""
        ids = np.asarray(ids, dtype=np.int64)
        rows = self.rows_of(ids)
        rows = rows[self.pks[rows] == ids] if len(self.pks) else rows[:0]
        if centre is not None:
            rows = rows[self.has("centre", centre.slug, rows)]
        return Matches(self, rows)

    def rows_of(self, ids):
        ids = np.asarray(ids, dtype=np.int64)
        return np.searchsorted(self.pks, ids).clip(0, max(len(self.pks) - 1, 0))

    def facts(self, ids) -> dict[int, date | None]:
        """{pk: the date a result shows} for `ids` (pages of the table)."""
        days = self.days[self.rows_of(ids)].tolist() if len(self.pks) else []
        return {pk: date.fromordinal(day) if day else None for pk, day in zip(ids, days)}

    def by_model(self, ids) -> dict:
        """{specific page model: the pks of `ids` of that type}."""
        from .query import content_types

        models = [ct.model_class() for ct in content_types().values()]
        codes = self.types[self.rows_of(ids)].tolist() if len(self.pks) else []
        grouped = {}
        for pk, code in zip(ids, codes):
            grouped.setdefault(models[code], []).append(pk)
        return grouped

    def has(self, name: str, value: str, rows):
        """Which of `rows` have `value` for the filter `name` (a boolean array)."""
        if name == "type":
            from .query import TYPES

            return self.types[rows] == list(TYPES).index(value)
        if name == "year":
            return self.years[rows] == int(value)
        if name == "upcoming":
            return self.ends[rows] >= int(timezone.now().timestamp())
        column = self.columns[name].get(value)
        if column is None:
            return np.zeros(len(rows), dtype=bool)
        return self.members[name][rows, column]

    def counts(self, name: str, rows) -> list[tuple]:
        """`(value, label, count)` rows of one facet over `rows`."""
        if name == "type":
            from .query import TYPES

            counted = np.bincount(self.types[rows], minlength=len(TYPES))
            return [(slug, TYPES[slug][2], int(n)) for slug, n in zip(TYPES, counted) if n]
        if name == "year":
            years, counted = np.unique(self.years[rows], return_counts=True)
            return [(str(y), str(y), int(n)) for y, n in zip(years[::-1], counted[::-1]) if y]
        if name == "upcoming":
            from .query import UPCOMING_LABEL

            n = int(np.count_nonzero(self.has("upcoming", "1", rows)))
            return [("1", UPCOMING_LABEL, n)]
        counted = self.members[name][rows].sum(axis=0)
        return [(slug, label, int(n)) for (slug, label), n in zip(self.labels[name], counted) if n]


class Matches:
    """Pages a search matched, best first: the scope its filters narrow and its facets
    count (`portal.listing` works on it as on a listing's queryset)."""

    def __init__(self, table: Table, rows):
        self.table, self.rows = table, rows

    def __len__(self):
        return len(self.rows)

    @property
    def ids(self) -> list[int]:
        return self.table.pks[self.rows].tolist()

    def narrow(self, name: str, value: str) -> "Matches":
        return Matches(self.table, self.rows[self.table.has(name, value, self.rows)])

    def counts(self, name: str) -> list[tuple]:
        return self.table.counts(name, self.rows)

    def by_date(self) -> list[int]:
        """Most recent first (then the newest page), as the listings sort by date."""
        table, rows = self.table, self.rows
        order = np.lexsort((table.pks[rows], table.days[rows]))[::-1]
        return table.pks[rows[order]].tolist()


def through_fields(relation, page_model) -> tuple[str, str]:
    """(page column, key field name) of a many-to-many's join table."""
    # UPGRADE CHECKPOINT Django==5.2.19: `Options.fields` and `Field.attname` of a many-to-many's through model (tests/test_search_table.py::test_centres_groups_and_themes_are_the_listings_definitions)
    fields = relation.through._meta.fields
    page_field = next(f for f in fields if f.is_relation and f.related_model is page_model)
    key_field = next(
        f
        for f in fields
        if f.is_relation and f.related_model is not page_model and not f.primary_key
    )
    return page_field.attname, key_field.name


def _columns(queryset, width: int) -> list[list]:
    """The `width` columns of a values_list queryset as lists: on PostgreSQL one row of
    arrays (a Python row per item is what costs, 100,000 theme links on the benchmark
    network), elsewhere the rows transposed."""
    if connection.vendor == "postgresql":
        # UPGRADE CHECKPOINT Django==5.2.19: `QuerySet.query.sql_with_params()` embedded in hand-written SQL (search table) (tests/test_search_table.py::test_centres_groups_and_themes_are_the_listings_definitions)
        sql, params = queryset.query.sql_with_params()
        names = [f"c{i}" for i in range(width)]
        with connection.cursor() as cursor:
            # The aggregates read the same rows in the same order: the arrays line up.
            cursor.execute(
                f"SELECT {', '.join(f'array_agg({n})' for n in names)} "
                f"FROM ({sql}) x ({', '.join(names)})",
                params,
            )
            return [values or [] for values in cursor.fetchone()]
    rows = list(queryset)
    return [list(column) for column in zip(*rows)] if rows else [[] for _i in range(width)]


def _links(relation, page_model, rows=None):
    """(page pk, key pk) rows of a many-to-many's join table (or of `rows` of it), as a
    queryset."""
    page_column, key = through_fields(relation, page_model)
    rows = relation.through.objects if rows is None else rows
    return rows.values_list(page_column, f"{key}_id")


def _mark(matrix, pks, keys: list, pages: list, linked: list):
    """Set matrix[row of page, column of key] for every (page, key) pair given."""
    if not pages or not keys or not len(pks):
        return
    order = np.argsort(keys)
    sorted_keys = np.asarray(keys)[order]
    pages, linked = np.asarray(pages, dtype=np.int64), np.asarray(linked)
    rows = np.searchsorted(pks, pages).clip(0, len(pks) - 1)
    at = np.searchsorted(sorted_keys, linked).clip(0, len(keys) - 1)
    known = (pks[rows] == pages) & (sorted_keys[at] == linked)
    matrix[rows[known], order[at[known]]] = True


def _mark_trees(matrix, paths: list[str], roots: list[str]):
    """Set matrix[i, j] where page i's path is in the tree of root j (a path prefix)."""
    column = {path: j for j, path in enumerate(roots)}
    for length in sorted({len(path) for path in roots}):
        for i, path in enumerate(paths):
            j = column.get(path[:length])
            if j is not None:
                matrix[i, j] = True


def build() -> Table:
    from .query import RESULT_DATE, THEME_THROUGHS, content_types, in_scope

    type_code = {ct.pk: i for i, ct in enumerate(content_types().values())}
    centres = list(
        Centre.objects.filter(home_page__isnull=False).values_list(
            "pk", "slug", "name", "home_page__path"
        )
    )
    groups = list(WorkingGroupPage.objects.live().values_list("pk", "slug", "title", "path"))
    pks, content_type_ids, paths, dates = _columns(
        in_scope(Page.objects.all(), None)
        .annotate(result_date=RESULT_DATE)
        .values_list("pk", "content_type_id", "path", "result_date")
        .order_by("pk"),
        4,
    )
    n = len(pks)
    pks = np.asarray(pks, dtype=np.int64)
    types = np.fromiter((type_code[ct] for ct in content_type_ids), np.int8, n)
    days = np.fromiter((day.toordinal() if day else 0 for day in dates), np.int32, n)
    years = np.fromiter((day.year if day else 0 for day in dates), np.int16, n)
    ends = dict(EventPage.objects.values_list("pk", "ends_at"))
    ends_at = np.fromiter(
        (int(ends[pk].timestamp()) if ends.get(pk) else NO_END for pk in pks.tolist()), np.int64, n
    )

    centre_matrix = np.zeros((n, len(centres)), dtype=bool)
    _mark_trees(centre_matrix, paths, [path for *_rest, path in centres])
    for links in (
        # The centres that agreed to be named only (centres.consent).
        _links(EventPage.organisers, EventPage, accepted_links(EventPage.organisers)),
        _links(PublicationPage.authors, PublicationPage, accepted_links(PublicationPage.authors)),
    ):
        _mark(centre_matrix, pks, [pk for pk, *_rest in centres], *_columns(links, 2))
    group_matrix = np.zeros((n, len(groups)), dtype=bool)
    _mark_trees(group_matrix, paths, [path for *_rest, path in groups])
    _mark(
        group_matrix,
        pks,
        [pk for pk, *_rest in groups],
        *_columns(
            PublicationPage.objects.filter(working_group__isnull=False).values_list(
                "pk", "working_group_id"
            ),
            2,
        ),
    )
    tags = {}  # tag id -> (slug, name), of the tags some page carries
    for through in THEME_THROUGHS:
        tags.update(
            (pk, (slug, name))
            for pk, slug, name in through.objects.values_list(
                "tag_id", "tag__slug", "tag__name"
            ).distinct()
        )
    tag_ids = sorted(tags, key=lambda pk: tags[pk][0])
    theme_matrix = np.zeros((n, len(tag_ids)), dtype=bool)
    for through in THEME_THROUGHS:
        _mark(
            theme_matrix,
            pks,
            tag_ids,
            *_columns(through.objects.values_list("content_object_id", "tag_id"), 2),
        )

    members = {"centre": centre_matrix, "group": group_matrix, "theme": theme_matrix}
    labels = {
        "centre": [(slug, name) for _pk, slug, name, _path in centres],
        "group": [(slug, title) for _pk, slug, title, _path in groups],
        "theme": [tags[pk] for pk in tag_ids],
    }
    return Table(pks, types, days, years, ends_at, members, labels)


_lock = threading.Lock()
_current: dict = {}


def shared_key(version) -> str:
    return f"portal:search-table:v{version}"


def building_key(version) -> str:
    return f"portal:search-table-building:v{version}"


def current(request=None) -> Table:
    """The table for the current content version: this process's copy, else the one
    another process shared through the cache, else built here (the other threads wait
    for it rather than build it too). While the warm-up builds it after a publication
    (`warm`, portal.warmup), requests use the previous version's table (the pages just
    published are found a moment later) rather than pay for the build. A request that
    read the version just before a publication uses the newer table rather than build
    the older one again."""
    version = content_version(request)
    table = _current.get(version)
    if table is not None:
        return table
    table = cache.get(shared_key(version))
    if table is None:
        with _lock:
            table = _current.get(version)
            if table is not None:
                return table
            newest = max(_current, default=None)
            if newest is not None and (newest >= version or cache.get(building_key(version))):
                return _current[newest]
            table = build()
            cache.set(shared_key(version), table, TIMEOUT)
    keep(version, table)
    return table


def keep(version, table) -> None:
    with _lock:
        if version >= max(_current, default=version):
            _current.clear()
            _current[version] = table


def warm() -> None:
    """Build the current version's table and share it (portal.warmup's hook: after a
    publication is committed, off the request path)."""
    version = content_version()
    if version in _current or cache.get(shared_key(version)) is not None:
        return
    cache.set(building_key(version), 1, 60)
    try:
        table = build()
        cache.set(shared_key(version), table, TIMEOUT)
        keep(version, table)
    finally:
        cache.delete(building_key(version))


def forget():
    """Drop this process's table (tests that change pages without a new version)."""
    _current.clear()
