"""Normalising what visitors type before it reaches a search backend."""

import unicodedata

# The query's words: in portal, since the open API (interop) cleans its searches alike.
from portal.querytext import MAX_QUERY_LENGTH, MAX_TERMS, clean_query  # noqa: F401


def fold(text: str) -> str:
    """Lower case without accents: "Égalité" → "egalite"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def light_stem(term: str) -> str:
    """A light French stem: accents folded, the plural mark of a long enough word
    dropped ("discriminations" → "discrimination", "locaux" stays)."""
    term = fold(term)
    if len(term) > 4 and term[-1] in "sx":
        term = term[:-1]
    return term
