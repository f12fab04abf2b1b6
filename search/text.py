"""Normalising what visitors type before it reaches a search backend."""

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Letters and digits (any script); apostrophes split words ("l'égalité" → "l", "égalité").
WORD = re.compile(r"[^\W_]+")
# Elided articles and pronouns of French: no meaning of their own in a search.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"}


def clean_query(raw) -> str:
    """The words of a query, at most MAX_TERMS of them, punctuation and control
    characters removed: what every backend receives, so that no query syntax
    (FTS5's quotes and stars, tsquery's & | !, Lucene's operators) ever reaches it."""
    if not isinstance(raw, str):
        return ""
    words = WORD.findall(raw[: MAX_QUERY_LENGTH * 5])
    words = [w for w in words if w.casefold() not in ELISIONS]
    return " ".join(words[:MAX_TERMS])[:MAX_QUERY_LENGTH].strip()


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
