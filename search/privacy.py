"""What the query figures must not keep: a query that looks like an e-mail address or
a phone number is someone's personal data typed into the box, not a search."""

import re

EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.\w+")
# A run of digits with the separators of phone numbers ("06 12 34 56 78",
# "+33 1 23 45 67 89", "01.23.45.67.89", "0612345678").
DIGITS = re.compile(r"\+?\d[\d\s().-]*\d")


def _looks_like_a_phone_number(run: str) -> bool:
    groups = re.findall(r"\d+", run)
    digits = sum(len(group) for group in groups)
    if digits < 9 or digits > 15:
        return False
    # One block of digits, or blocks of at most three: years side by side ("2024 2030",
    # "2020-2024-2030") are not a phone number.
    return len(groups) == 1 or all(len(group) <= 3 for group in groups[1:])


def is_personal(query: str) -> bool:
    """Whether `query` (as typed, before cleaning) holds an e-mail address or a phone
    number."""
    if not isinstance(query, str):
        return False
    if EMAIL.search(query):
        return True
    return any(_looks_like_a_phone_number(run) for run in DIGITS.findall(query))
