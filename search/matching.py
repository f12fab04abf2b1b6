"""What a query finds, and in which order: the matching and ranking of the search page
over any backend (`search.engine` runs the queries).

1. The query's terms (`search.text.terms`), grouped into units with the field's
   synonyms (`search.vocabulary.expand`: "QPV" also finds "quartier prioritaire"); a
   term no published word begins with also matches its closest word ("Vouliez-vous
   dire …").
2. Every unit must match, and those pages come first. When fewer than FEW pages do
   (none, one or two), the pages matching some of the units follow them, the most
   units matched first: a word the content lacks never empties the page, and one or
   two results are too few to be sure the narrowing word was meant. From FEW on, only
   those: a visitor adding a word to narrow a search expects fewer results, not the
   broader ones after the precise ones.
3. Among each of those two groups, titles first: the title holding the query's words
   in order (the exact phrase), then a title holding them all, then a title made of
   some of them only, then the backend's order.
4. A query naming a centre (its name, acronym or full name) puts the centre first."""

from dataclasses import dataclass

from django.utils.text import slugify

from wagtail.models import Page

from modelsearch.query import And, Or, PlainText

from centres.models import Centre
from portal.cache import cached

from . import engine, vocabulary
from .text import clean_query, light_stem, terms

FEW = 3  # fewer pages matching every word than this: the closest matches follow them
RERANKED = 100  # titles read to put title matches first, per group
COUNTED_UNITS = 6  # units counted per page to order the partial matches


@dataclass
class Found:
    """Pages a query found, best first: the first `complete` match every word."""

    ids: list[int]
    backend: str
    complete: int
    suggestion: str = ""  # the query with its typos corrected, when some were

    @property
    def partial(self) -> bool:
        return len(self.ids) > self.complete


def _alternative(alternative: tuple) -> PlainText:
    return PlainText(" ".join(alternative), operator="and")


def query_of(units, operator="and"):
    """A Wagtail search query: every unit (or any, with operator "or"), each unit any of
    its alternatives."""
    parts = [
        _alternative(unit[0]) if len(unit) == 1 else Or([_alternative(a) for a in unit])
        for unit in units
    ]
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)


def find(query: str, model=Page, only=None, keep=None, request=None) -> Found:
    """The pages matching `query`, best first. `keep(ids)` returns the ids a search may
    list (the scope), in order."""
    keep = keep or (lambda ids: ids)
    query_terms = terms(query)
    if not query_terms:
        return Found([], "database", 0)
    units = vocabulary.expand(query_terms, request)
    # A lone term (no synonym) that no published word begins with: its closest word too.
    lone = [unit[0][0] for unit in units if len(unit) == 1 and len(unit[0]) == 1]
    fixes = vocabulary.corrections(lone)
    units = [
        unit + [tuple(terms(fixes[unit[0][0]]))] if len(unit) == 1 and unit[0][0] in fixes else unit
        for unit in units
    ]
    ids, backend = engine.ranked_ids(query_of(units), model, only)
    complete = rank_titles(keep(ids), units, query_terms)
    found = list(complete)
    # Partial matches over the units, or over the words of a query that is one
    # expression ("économie sociale et solidaire" = "ESS").
    some = units if len(units) > 1 else [[(term,)] for term in query_terms]
    if len(complete) < FEW and len(some) > 1:
        # Those matching more of the units first (`COUNTED_UNITS` of them).
        counted = [query_of([unit]) for unit in some[:COUNTED_UNITS]]
        any_ids, backend = engine.ranked_ids(query_of(some, "or"), model, only, counted)
        seen = set(complete)
        partial = [pk for pk in keep(any_ids) if pk not in seen]
        if partial:
            found += rank_titles(partial, some, query_terms)
    found = centre_first(found, query_terms, keep, request)
    return Found(found, backend, len(complete), suggestion(query, fixes))


def _matches_word(term, word) -> bool:
    return word.startswith(term)


def _title_tier(title_terms, units, query_terms) -> int:
    """0: the query's terms in the title, in order; 1: every unit in the title; 2: a
    title made of the query's words only ("Santé" for "GT santé"); 3: any other."""
    n = len(query_terms)
    for start in range(len(title_terms) - n + 1):
        if all(_matches_word(t, w) for t, w in zip(query_terms, title_terms[start : start + n])):
            return 0
    if all(
        any(all(any(_matches_word(t, w) for w in title_terms) for t in alt) for alt in unit)
        for unit in units
    ):
        return 1
    words = {t for unit in units for alt in unit for t in alt}
    if title_terms and all(any(_matches_word(t, w) for t in words) for w in title_terms):
        return 2
    return 3


def rank_titles(ids, units, query_terms):
    """`ids` with title matches first among the first RERANKED (else in order)."""
    head = ids[:RERANKED]
    if not head:
        return list(ids)
    titles = dict(Page.objects.filter(pk__in=head).values_list("pk", "title"))
    tiers = {pk: _title_tier(terms(titles.get(pk, "")), units, query_terms) for pk in head}
    return sorted(head, key=lambda pk: tiers[pk]) + list(ids[RERANKED:])


def centre_keys(request=None) -> dict[tuple, int]:
    """{terms of a centre's name, slug, full name or acronym: its home page id}."""

    def build():
        keys = {}
        rows = Centre.objects.filter(home_page__isnull=False).values_list(
            "name", "slug", "long_name", "home_page_id"
        )
        for name, slug, long_name, home in rows:
            names = [name, slug.replace("-", " "), long_name]
            # An acronym written with a hyphen ("PQN-A") is also typed without one.
            names += [word.replace("-", "") for word in long_name.split() if word.isupper()]
            names += [slugify(name).replace("-", "")]
            for text in names:
                key = tuple(terms(text))
                if key:
                    keys.setdefault(key, home)
        return keys

    return cached("search-centre-keys", build, request)


def centre_first(ids, query_terms, keep, request=None):
    """The named centre's home page first, when the query is a centre's name."""
    home = centre_keys(request).get(tuple(query_terms))
    if home is None or not keep([home]):
        return ids
    return [home] + [pk for pk in ids if pk != home]


def suggestion(query: str, fixes: dict[str, str]) -> str:
    """The query as typed, its corrected words replaced (empty without corrections)."""
    if not fixes:
        return ""
    words = clean_query(query).split()
    return " ".join(fixes.get(light_stem(word), word) for word in words)
