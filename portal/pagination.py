"""A listing's page of results with its count and ids cached per content version.

Counting and sorting the live events (or publications) of a listing is the costly part
of the query, the same for every visitor until something is published: its outcome is
computed data, cached under the listing's key. The items of the page are fetched by
primary key only when something reads them (the cached cards do not)."""

from collections.abc import Sequence

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as PaginatorPage
from django.http import Http404

from .cache import cached

PAGE_SIZE = 20
# Upcoming events become past ones: what a listing computes is cached five minutes at most.
TIME_SLICE = 300


def paginate(queryset, number):
    try:
        return Paginator(queryset, PAGE_SIZE).page(number or 1)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404(str(error)) from error


class LazyItems(Sequence):
    """The items of a page, fetched at the first read."""

    def __init__(self, load):
        self._load, self._items = load, None

    def _all(self):
        if self._items is None:
            self._items = self._load()
        return self._items

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self):
        return len(self._all())


def cached_page(request, key: str, model, ordered, number, related=lambda queryset: queryset):
    """Page `number` of `ordered()` (a callable: the queryset of `model` is only built
    on a miss), as a Django Page whose count and ids come from the cache; `related` adds
    the select/prefetch its items need. Bad page numbers answer 404, as `paginate`."""
    try:
        number = int(number or 1)
    except (TypeError, ValueError) as error:
        raise Http404("Numéro de page invalide.") from error
    if number < 1:
        raise Http404("Numéro de page invalide.")

    def build():
        try:
            page = paginate(ordered().values_list("pk", flat=True), number)
        except Http404:
            return None  # beyond the last page: cached too
        return page.paginator.count, list(page.object_list)

    found = cached(f"{key}:page:{number}", build, request)
    if found is None:
        raise Http404("Page hors de la liste.")
    count, ids = found

    def load():
        queryset = model.objects.filter(pk__in=ids)
        items = {item.pk: item for item in related(queryset)}
        return [items[pk] for pk in ids if pk in items]

    paginator = Paginator([], PAGE_SIZE)
    # UPGRADE CHECKPOINT Django==5.2.19: `Paginator.count` is a cached_property, preset to skip the COUNT query (tests/test_agenda_listing.py::test_pagination_twenty_per_page_keeping_the_filters)
    paginator.count = count  # a cached_property of Paginator: no COUNT query
    return PaginatorPage(LazyItems(load), number, paginator)
