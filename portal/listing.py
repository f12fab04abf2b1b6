"""The one query layer of the portal's listings: the agenda, the library and the search
page describe their filters as `Dimension`s and this module narrows, counts and parses
them alike. Each dimension knows how to narrow a queryset to one of its values and how
to count its values over a subquery of matching ids; a listing is a scope (a queryset)
plus its dimensions.

Queries per request do not depend on the number of items: one GROUP BY per facet over
a subquery of the items matching every other filter. The search page's scope is not a
queryset but the pages its full-text match found, which its dimensions narrow and count
in memory (`search.table`): the same `narrow` and `count_facets` apply."""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, QuerySet, When

MAX_LENGTH = 100


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)
    # False for a facet that always applies one of its options (the agenda's period).
    offers_all: bool = True

    @property
    def selected(self):
        return next((o for o in self.options if o.selected), None)


@dataclass(frozen=True)
class Dimension:
    """One filter of a listing. `narrow(queryset, value)` keeps the items having the
    value; `count(ids)` returns `(value, label, count)` rows over the items whose pks
    `ids` (a subquery) selects. Filters across many-valued relations go through
    subqueries in `narrow`, so an item is never listed twice."""

    name: str
    label: str
    narrow: Callable[[QuerySet, str], QuerySet]
    count: Callable[[QuerySet], Iterable[tuple]] | None = None
    # Options in French reading order of their labels (else in the rows' order).
    by_label: bool = False
    offers_all: bool = True
    # A chosen value that matches nothing with the other filters is still shown, with 0.
    keep_selected: bool = False


def read(query, name: str) -> str:
    """One GET parameter, stripped; overlong or with control characters (NUL breaks
    PostgreSQL) it is not a value of ours and reads as absent."""
    raw = query.get(name, "")
    raw = raw.strip() if isinstance(raw, str) else ""
    return raw if len(raw) <= MAX_LENGTH and raw.isprintable() else ""


def narrow(queryset, dimensions, filters, *, skip: str = ""):
    """`queryset` narrowed by every chosen filter but `skip` (a facet's counts leave
    out its own filter: an option's count is what choosing it would list)."""
    for dimension in dimensions:
        value = getattr(filters, dimension.name, "")
        if value and dimension.name != skip:
            queryset = dimension.narrow(queryset, value)
    return queryset


def sort_key(label: str) -> str:
    """French reading order whatever the database's collation: "éducation" between
    "droit" and "emploi" (SQLite would put it after "transition")."""
    return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().casefold()


def in_french_order(items: Iterable, attribute: str) -> list:
    """Small lists (the 19 centres, the 12 working groups) in French reading order of
    `attribute`: "Cité Ressources" before "CRPVE", "Éducation" with the E's."""
    return sorted(items, key=lambda item: sort_key(getattr(item, attribute) or ""))


def french_ordered(queryset: QuerySet, field: str) -> QuerySet:
    """`queryset` in French reading order of `field` and still a queryset (filters and
    pagination slice it in the database): its rows' (pk, field) are read and sorted
    here, then given as the order. One more query; for small tables only."""
    rows = sorted(
        queryset.values_list("pk", field), key=lambda row: (sort_key(row[1] or ""), row[0])
    )
    if not rows:
        return queryset
    rank = Case(
        *(When(pk=pk, then=position) for position, (pk, _value) in enumerate(rows)),
        output_field=IntegerField(),
    )
    return queryset.order_by(rank, "pk")


def count_facets(scope, dimensions, filters, labels=None) -> list[Facet]:
    """One facet per dimension that counts: one GROUP BY query each over a queryset
    scope; over the search's matched pages (`search.table.Matches`), counted in memory."""
    labels = labels or {}
    result = []
    for dimension in dimensions:
        if dimension.count is None:
            continue
        selected = getattr(filters, dimension.name, "")
        ids = narrow(scope, dimensions, filters, skip=dimension.name)
        if isinstance(ids, QuerySet):
            ids = ids.values("pk")
        options = [
            Option(str(value), text, count, str(value) == selected)
            for value, text, count in dimension.count(ids)
            if value
        ]
        if dimension.by_label:
            options.sort(key=lambda option: sort_key(str(option.label)))
        facet = Facet(dimension.name, dimension.label, options, dimension.offers_all)
        if dimension.keep_selected and selected and facet.selected is None:
            facet.options.append(Option(selected, labels.get(dimension.name, selected), 0, True))
        result.append(facet)
    return result
