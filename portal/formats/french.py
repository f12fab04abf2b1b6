"""Dates as the French write them: the first day of a month is "1er" ("1er décembre
2026", "mardi 1er décembre"), every other day a plain number. Used by the
`french_date` template filter and by every helper that writes a date in a page."""

import re

from django.utils import formats
from django.utils.dateformat import format as dateformat
from django.utils.translation import get_language

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
_FIRST = re.compile(rf"(?<![\d,.])\b1 (?=(?:{MONTHS})\b)")


def first_of_month(text: str) -> str:
    """ "1 décembre" → "1er décembre" in French text (nothing else changes)."""
    if not (get_language() or "fr").startswith("fr"):
        return text
    return _FIRST.sub("1er ", text)


def format_date(value, fmt="j F Y") -> str:
    if value in (None, ""):
        return ""
    if fmt in ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT"):
        text = formats.date_format(value, fmt)
    else:
        text = dateformat(value, fmt)
    return first_of_month(text)
