"""Reading one VEVENT of a feed met in the wild into an event's values, strictly.

Feeds written by hand or by old plug-ins carry duplicated properties, durations and
dates that do not parse, starts and ends of different kinds, years out of any agenda's
range and time zones nobody defines. Each of these is refused here with a reason the
centre can act on (`Unreadable`), or read with a warning (a time zone guessed or
unknown), so that the import never meets a value of the wrong type later on.

Recurring events (RRULE, RDATE, EXDATE, and occurrences moved by RECURRENCE-ID) become
their occurrences within a window around today, through recurring-ical-events."""

import html
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from agenda.models import Attendance
from centres.models import TIME_ZONE_CHOICES
from portal.blocks import text_stream

ZONES = {name for name, _ in TIME_ZONE_CHOICES}
UNKNOWN_VENUE = "Lieu à préciser"
# An agenda's plausible years: outside them a date is a typo or a placeholder (0000,
# 9999), and Python's dates overflow when a duration is added near their bounds.
FIRST_YEAR, LAST_YEAR = 1970, 2200
# Occurrences of a recurring event imported: those within a year around today, at most
# this many per event (a daily rule would otherwise fill the agenda).
RECURRENCE_WINDOW = timedelta(days=366)
MAX_OCCURRENCES = 100
# More frequent rules (HOURLY, MINUTELY, SECONDLY) describe no agenda's events, and
# expanding them costs minutes.
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


class Unreadable(ValueError):
    """The event cannot be imported; the message says why, in French, for the centre."""


@dataclass
class Occurrence:
    key: str  # the UID, or UID#start for an occurrence of a recurring event
    component: icalendar.Event
    warnings: list[str] = field(default_factory=list)


def clean_text(value: str) -> str:
    """Text without control characters (NUL cannot be stored in PostgreSQL), newlines
    and tabs kept."""
    return "".join(
        char for char in value if char in "\n\t" or unicodedata.category(char)[0] != "C"
    ).strip()


def text_of(component, name) -> str:
    value = component.get(name)
    if isinstance(value, list):  # repeated: the first one, as most readers do
        value = value[0] if value else None
    return clean_text(str(value)) if value is not None else ""


def _single(component, name):
    value = component.get(name)
    if isinstance(value, list):
        raise Unreadable(f"{name} présent {len(value)} fois")
    return value


def _moment(component, name, zone_warnings):
    prop = _single(component, name)
    if prop is None:
        return None
    try:
        value = component.decoded(name)
    except Exception as error:  # icalendar raises several types for one bad value
        raise Unreadable(f"{name} illisible ({error})") from error
    if not isinstance(value, date):
        raise Unreadable(f"{name} n'est pas une date ({text_of(component, name)[:40]})")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise Unreadable(f"{name} hors des années {FIRST_YEAR}–{LAST_YEAR} ({value.year})")
    zone = getattr(prop, "params", {}).get("TZID")
    if zone and isinstance(value, datetime):
        key = getattr(value.tzinfo, "key", None) or getattr(value.tzinfo, "zone", None)
        if value.tzinfo is None:
            zone_warnings.append(f"fuseau « {zone} » inconnu : heure lue dans celui du centre")
        elif key and key != zone:
            # A vendor's prefix (/mozilla.org/…/Europe/Paris) that icalendar resolved.
            zone_warnings.append(f"fuseau « {zone} » lu comme {key}")
    return value


def span(component, default_zone: str, zone_warnings: list[str]) -> dict:
    start = _moment(component, "DTSTART", zone_warnings)
    if start is None:
        raise Unreadable("sans date de début")
    end = _moment(component, "DTEND", zone_warnings)
    if end is None and _single(component, "DURATION") is not None:
        try:
            duration = component.decoded("DURATION")
        except Exception as error:
            raise Unreadable(f"DURATION illisible ({error})") from error
        if not isinstance(duration, timedelta):
            raise Unreadable("DURATION illisible")
        try:
            end = start + duration
        except OverflowError as error:
            raise Unreadable("DURATION hors limites") from error
        if not FIRST_YEAR <= end.year <= LAST_YEAR:
            raise Unreadable(f"fin hors des années {FIRST_YEAR}–{LAST_YEAR} ({end.year})")
    if end is not None and isinstance(start, datetime) != isinstance(end, datetime):
        raise Unreadable("début et fin de types différents (une date et une date-heure)")
    if not isinstance(start, datetime):  # whole days; DTEND is the day after the last
        last = end - timedelta(days=1) if end is not None and end > start else start
        return {
            "time_zone": default_zone,
            "start_date": start,
            "start_time": None,
            "end_date": last if last != start else None,
            "end_time": None,
        }
    key = getattr(start.tzinfo, "key", None)
    zone = key if key in ZONES else default_zone
    local = ZoneInfo(zone)
    start = start.astimezone(local) if start.tzinfo else start
    end = (end.astimezone(local) if end.tzinfo else end) if end is not None else None
    return {
        "time_zone": zone,
        "start_date": start.date(),
        "start_time": start.time(),
        "end_date": end.date() if end and end.date() != start.date() else None,
        "end_time": end.time() if end else None,
    }


def _themes(component) -> list[str]:
    categories = component.get("CATEGORIES")
    groups = categories if isinstance(categories, list) else [categories] if categories else []
    return sorted(
        {
            clean_text(str(name)).lower()[:100]
            for group in groups
            for name in getattr(group, "cats", [])
            if clean_text(str(name))
        }
    )


def event_values(occurrence: Occurrence, default_zone: str) -> dict:
    component = occurrence.component
    title = text_of(component, "SUMMARY")
    if not title:
        raise Unreadable("sans titre")
    description = text_of(component, "DESCRIPTION")
    location = text_of(component, "LOCATION")
    url = text_of(component, "URL")
    values = span(component, default_zone, occurrence.warnings)
    values.update(
        title=title[:255],
        summary=description[:600],
        venue="",
        city="",
        online_url="",
        attendance=Attendance.IN_PERSON,
    )
    if location.startswith(("http://", "https://")):
        values.update(attendance=Attendance.ONLINE, online_url=location[:200])
    else:
        values["venue"] = location[:255] or UNKNOWN_VENUE
    paragraphs = [
        f"<p>{html.escape(line)}</p>" for line in description.splitlines() if line.strip()
    ]
    if url.startswith(("http://", "https://")):
        paragraphs.append(f'<p><a href="{html.escape(url)}">Voir sur le site du centre</a></p>')
    values["description"] = text_stream("".join(paragraphs))
    values["themes"] = _themes(component)
    return values


def _all(component, name) -> list:
    value = component.get(name)
    return value if isinstance(value, list) else [value] if value is not None else []


def _sort_key(moment):
    if isinstance(moment, datetime):
        return (moment.date(), moment.replace(tzinfo=None).time())
    return (moment, datetime.min.time())


def _series(calendar, master, uid, today) -> list[Occurrence]:
    """The occurrences of a recurring event (its moved occurrences included) within the
    window around today."""
    single = icalendar.Calendar()
    for timezone_definition in calendar.walk("VTIMEZONE"):
        single.add_component(timezone_definition)
    single.add_component(master)
    for component in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in component and text_of(component, "UID") == uid:
            single.add_component(component)
    for rule in _all(master, "RRULE"):
        try:
            frequency = str((rule.get("FREQ") or ["?"])[0]).upper()
            parts = [rule.get(part) or [] for part in ("BYHOUR", "BYMINUTE", "BYSECOND")]
        except Exception as error:  # icalendar's BrokenCalendarProperty, among others
            raise Unreadable(f"règle de récurrence illisible ({error})") from error
        if frequency not in FREQUENCIES:
            raise Unreadable(f"récurrence « {frequency} » non importée (au plus quotidienne)")
        if any(len(values) > 1 for values in parts):
            raise Unreadable("récurrence à plusieurs heures par jour non importée")
    try:
        # Bounded by the window: asking for "the next N" of a rule with fewer than N
        # occurrences makes the library search without end.
        found = recurring_ical_events.of(single).between(
            today - RECURRENCE_WINDOW, today + RECURRENCE_WINDOW
        )
        found = sorted(found, key=lambda event: _sort_key(event.decoded("DTSTART")))
    except Exception as error:  # the library's errors for a bad rule are of many types
        raise Unreadable(f"règle de récurrence illisible ({error})") from error
    occurrences = []
    for component in found[:MAX_OCCURRENCES]:
        moment = (component.get("RECURRENCE-ID") or component.get("DTSTART")).to_ical().decode()
        occurrences.append(Occurrence(f"{uid}#{moment}", component))
    if len(found) > MAX_OCCURRENCES and occurrences:
        occurrences[0].warnings.append(
            f"récurrent : les {MAX_OCCURRENCES} premières occurrences seulement sont importées"
        )
    return occurrences


def occurrences_of(calendar, today=None):
    """Each VEVENT of the feed as (key, Occurrence or Unreadable): one entry per event,
    one per occurrence of a recurring event, an Unreadable for what cannot be read."""
    today = today or date.today()
    events = calendar.walk("VEVENT")
    recurring = {
        text_of(component, "UID")
        for component in events
        if "RECURRENCE-ID" not in component and ("RRULE" in component or "RDATE" in component)
    }
    for component in events:
        uid = text_of(component, "UID")[:400]
        if not uid:
            yield text_of(component, "SUMMARY")[:80] or "?", Unreadable("événement sans UID")
            continue
        if "RECURRENCE-ID" in component:
            if uid not in recurring:
                yield uid, Unreadable("occurrence modifiée sans son événement récurrent")
            continue  # read with its recurring event, by recurring-ical-events
        if not any(name in component for name in ("RRULE", "RDATE")):
            yield uid, Occurrence(uid, component)
            continue
        try:
            _single(component, "DTSTART")
            series = _series(calendar, component, uid, today)
        except Unreadable as error:
            yield uid, error
            continue
        for occurrence in series:
            yield occurrence.key, occurrence
