"""The field's vocabulary: synonyms and acronyms (query expansion) and the words of the
published pages ("Vouliez-vous dire …").

Synonyms are the coordination's (`search.models.Synonym`, in the admin); a query's
words that form one of their expressions match any expression of the same rows. The
words of published pages are kept in `search.models.SearchTerm` as pages are published;
a query term no page word begins with is corrected to the closest of them: PostgreSQL's
trigram similarity (`pg_trgm`), `difflib` elsewhere."""

import difflib
import re

from django.db import connection
from django.db.models.functions import Length
from django.utils.html import strip_tags

from portal.cache import cached

from .models import SearchTerm, Synonym
from .text import fold, terms

WORD = re.compile(r"[^\W\d_]{4,40}")
MIN_TYPO_LENGTH = 5  # shorter terms are acronyms or prefixes far more often than typos


# --- Synonyms -------------------------------------------------------------------------


def synonym_table(request=None) -> dict[tuple, set[tuple]]:
    """{expression's terms: the terms of every expression equivalent to it}, cached per
    content version (a change of the list bumps it)."""

    def build():
        table: dict[tuple, set[tuple]] = {}
        for synonym in Synonym.objects.all():
            expressions = {tuple(terms(text)) for text in synonym.expression_list()}
            expressions.discard(())
            for expression in expressions:
                table.setdefault(expression, set()).update(expressions)
        return table

    return cached("search-synonyms", build, request)


def expand(query_terms: list[str], request=None) -> list[list[tuple]]:
    """The query as units, each a list of alternatives (tuples of terms): a run of terms
    forming a known expression (the longest first) is one unit with every equivalent
    expression; any other term is a unit of its own."""
    table = synonym_table(request)
    longest = max((len(expression) for expression in table), default=0)
    units, i = [], 0
    while i < len(query_terms):
        for size in range(min(longest, len(query_terms) - i), 0, -1):
            span = tuple(query_terms[i : i + size])
            if span in table:
                units.append([span, *sorted(table[span] - {span})])
                i += size
                break
        else:
            units.append([(query_terms[i],)])
            i += 1
    return units


# --- Words of the published pages ----------------------------------------------------


def words_of(text: str) -> dict[str, str]:
    """{folded word: the word as written, lower case} of a text (words of 4+ letters)."""
    found = {}
    for word in WORD.findall(strip_tags(text or "")):
        lower = word.lower()
        found.setdefault(fold(lower), lower)
    return found


def learn(text: str):
    """Add the words of `text` to the vocabulary (the ones it has are left as they are)."""
    words = words_of(text)
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(folded=folded, word=word) for folded, word in words.items()],
            ignore_conflicts=True,
            batch_size=500,
        )


def is_known(term: str) -> bool:
    """Whether some word of the published pages begins with `term` (folded)."""
    return SearchTerm.objects.filter(folded__startswith=term).exists()


def closest(term: str) -> str | None:
    """The vocabulary word closest to `term` (a folded, light-stemmed query term), as
    written, or None if none is close enough."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        row = (
            SearchTerm.objects.annotate(similarity=TrigramSimilarity("folded", term))
            .filter(folded__trigram_similar=term, similarity__gte=0.45)
            .order_by("-similarity", "folded")
            .values_list("word", flat=True)
            .first()
        )
        return row
    # Elsewhere: words of about the same length that begin alike, ranked by difflib.
    candidates = dict(
        SearchTerm.objects.filter(folded__startswith=term[:2])
        .annotate(length=Length("folded"))
        .filter(length__range=(len(term) - 2, len(term) + 3))
        .values_list("folded", "word")
    )
    best = difflib.get_close_matches(term, list(candidates), n=1, cutoff=0.8)
    return candidates[best[0]] if best else None


def corrections(query_terms: list[str]) -> dict[str, str]:
    """{query term: the vocabulary word to read instead} for the terms no published word
    begins with and that resemble one."""
    found = {}
    for term in query_terms:
        if len(term) < MIN_TYPO_LENGTH or term.isdigit() or is_known(term):
            continue
        word = closest(term)
        if word:
            found[term] = word
    return found
