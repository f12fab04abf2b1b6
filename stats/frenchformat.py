"""French number, percentage and duration formats for the reports (admin, DOCX, XLSX
labels): thousands separated by a narrow no-break space (U+202F), a decimal comma, a
no-break space before "%", durations as "10 min 8 s", dates as "12 mai 2031"."""

from datetime import date

from django.utils.dateformat import format as date_format

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
DASH = "—"


def number(value, decimals: int = 0) -> str:
    if value is None:
        return DASH
    if isinstance(value, str):
        return value
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NARROW_NBSP).replace(".", ",").replace("-", "−")


def percent(ratio, decimals: int = 1) -> str:
    """A share 0..1 as "12,5 %"."""
    if ratio is None:
        return DASH
    return f"{number(ratio * 100, decimals)}{NBSP}%"


def change(value) -> str:
    """A relative change already in percent (12.3) as "+12,3 %", "−4,0 %" or "—"."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else ""
    return f"{sign}{number(value, 1)}{NBSP}%"


def duration(seconds) -> str:
    """608 -> "10 min 8 s"; 3725 -> "1 h 2 min 5 s"; 0 -> "0 s"."""
    if seconds is None:
        return DASH
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{number(hours)}{NBSP}h")
    if minutes:
        parts.append(f"{minutes}{NBSP}min")
    if secs or not parts:
        parts.append(f"{secs}{NBSP}s")
    return " ".join(parts)


def day(raw) -> str:
    """An ISO date ("2031-05-12") as "12 mai 2031", month named in the active language
    (as the report's months are)."""
    if not raw:
        return DASH
    return date_format(date.fromisoformat(raw), "j F Y")


def value(raw, unit: str = "count") -> str:
    """A figure of the report in its unit: count, percent (0..1), duration (s), date (ISO),
    text."""
    if unit == "date":
        return day(raw)
    if unit == "percent":
        return percent(raw)
    if unit == "duration":
        return duration(raw)
    if unit == "text":
        return DASH if raw in (None, "") else str(raw)
    return number(raw)
