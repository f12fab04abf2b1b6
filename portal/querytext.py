"""What visitors type into a search, reduced to its words before any backend sees it:
shared by the search page (search.text) and the open API's `search` parameter."""

import re

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Letters and digits (any script); apostrophes split words ("l'égalité" → "l", "égalité").
WORD = re.compile(r"[^\W_]+")
# Elided articles and pronouns of French: no meaning of their own in a search.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"}


def clean_query(raw) -> str:
    """The words of a query, at most MAX_TERMS of them, punctuation and control
    characters removed: what every backend receives, so that no query syntax
    (FTS5's quotes and stars, tsquery's & | !, Lucene's operators) ever reaches it, and
    no query is long enough to nest its terms past Python's recursion limit."""
    if not isinstance(raw, str):
        return ""
    words = WORD.findall(raw[: MAX_QUERY_LENGTH * 5])
    words = [w for w in words if w.casefold() not in ELISIONS]
    return " ".join(words[:MAX_TERMS])[:MAX_QUERY_LENGTH].strip()
