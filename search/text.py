"""Normalising what visitors type before it reaches a search backend.

Every backend receives the same terms: the query's words folded (no accents, lower
case), French stop words dropped and the plural mark removed (`terms`). Each term then
matches as a prefix of a word, on PostgreSQL as on SQLite, so "enjeu santé" finds
"Enjeux de santé" on both (PostgreSQL's French stemmer alone keeps "enjeux" apart
from "enjeu")."""

import unicodedata

# The query's words: in portal, since the open API (interop) cleans its searches alike.
from portal.querytext import MAX_QUERY_LENGTH, MAX_TERMS, clean_query  # noqa: F401

# Words that tell nothing apart (PostgreSQL's French configuration drops them from the
# index; FTS5 keeps them, and "de" as a prefix would match "développement").
STOP_WORDS = frozenset(
    """a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma
    mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son
    sur ta te tes toi ton tu un une vos votre vous y est sont ete etre""".split()
)


def fold(text: str) -> str:
    """Lower case without accents: "Égalité" → "egalite"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def light_stem(term: str) -> str:
    """A light French stem: accents folded, the plural mark of a long enough word
    dropped ("discriminations" → "discrimination", "enjeux" → "enjeu"; "stress" stays,
    so that stemming a stem changes nothing)."""
    term = fold(term)
    if len(term) > 4 and term[-1] in "sx" and term[-2] != "s":
        term = term[:-1]
    return term


def terms(query: str) -> list[str]:
    """The query's search terms, in order: cleaned, folded, light-stemmed, without stop
    words (unless the query is nothing else)."""
    words = [light_stem(word) for word in clean_query(query).split()]
    kept = [word for word in words if word not in STOP_WORDS]
    return kept or words
