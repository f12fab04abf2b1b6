"""Result excerpts: a passage around the first matched word, the matches marked."""

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from wagtail.blocks import StreamValue

from .text import fold, light_stem

WIDTH = 240


def page_text(page) -> str:
    """The page's own prose: summary first, then its body or introduction."""
    parts = [getattr(page, "summary", "") or page.search_description or ""]
    for name in ("body", "description", "introduction"):
        value = getattr(page, name, "")
        if isinstance(value, StreamValue):
            # The blocks' own text, without rendering their templates.
            parts.extend(strip_tags(t) for t in value.stream_block.get_searchable_content(value))
        elif value:
            parts.append(strip_tags(str(value)))
    return " ".join(" ".join(part.split()) for part in parts if part)


def shown_text(page) -> str:
    """What the page shows beyond its prose and is indexed too: a working group's
    yearly activity and partners, an event's speakers (read from the database)."""
    parts = []
    if hasattr(page, "activity"):
        for year in page.activity.all():
            parts += [year.topics, year.partners, year.deliverables, year.modalities]
    if hasattr(page, "speakers"):
        parts += [f"{s.name} {s.role}" for s in page.speakers.all()]
    if hasattr(page, "partners") and hasattr(page.partners, "all"):
        parts += [partner.name for partner in page.partners.all()]
    return " ".join(part for part in parts if part)


# Folding is the excerpt's inner loop (a few thousand characters per page of results).
# Most characters fold to exactly one ("é" → "e"): a text made of those only is folded
# by one `str.translate`, its positions unchanged; the others ("œ" → "oe", a lone
# accent → "") go through the loop keeping each folded character's index in the text.
_one_to_one: dict[int, str] = {}  # code point -> its folded character
_other: set[str] = set()
_known: set[str] = set()


def _folded_with_positions(text):
    """The folded text and, for each of its characters, the index in `text`."""
    chars = set(text)
    for char in chars - _known:
        folded = fold(char)
        if len(folded) == 1:
            _one_to_one[ord(char)] = folded
        else:
            _other.add(char)
        _known.add(char)
    if chars.isdisjoint(_other):
        return text.translate(_one_to_one), range(len(text))
    folded, positions = [], []
    for index, char in enumerate(text):
        for piece in fold(char):
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


def excerpt(text: str, query: str, width: int = WIDTH, *, whole=False):
    """Escaped HTML: up to `width` characters of `text` around the first word matching
    a query term (accents and case aside, a term matching the start of a word), each
    match in <mark>."""
    stems = sorted(
        {light_stem(term) for term in query.split() if len(term) > 1}, key=len, reverse=True
    )
    if not text:
        return ""
    folded, positions = _folded_with_positions(text)
    spans = []
    if stems:
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*")
        for found in pattern.finditer(folded):
            spans.append((positions[found.start()], positions[found.end() - 1] + 1))
    start = 0
    if spans and not whole and spans[0][0] > width // 3:
        start = text.rfind(" ", 0, spans[0][0] - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    out, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        out.append(escape(text[cursor:span_start]))
        out.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)


def highlight(text: str, query: str):
    """A title with its matched words marked (escaped HTML)."""
    return excerpt(text, query, width=len(text) + 1, whole=True)
