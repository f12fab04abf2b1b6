"""An event's dates are typed in the organising centre's local time; they are stored
as typed (date, time, time zone) and as UTC instants for sorting and filtering."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Span:
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    all_day: bool


def compute_span(
    tz_name: str,
    start_date: date,
    start_time: time | None,
    end_date: date | None,
    end_time: time | None,
) -> Span:
    tz = ZoneInfo(tz_name or "Europe/Paris")
    end_date = end_date or start_date
    if start_time is None:
        starts_at = datetime.combine(start_date, time.min, tz)
        # Whole days: the event lasts until the end of its last day.
        ends_at = datetime.combine(end_date + timedelta(days=1), time.min, tz)
        return Span(starts_at, ends_at, True)
    starts_at = datetime.combine(start_date, start_time, tz)
    ends_at = datetime.combine(end_date, end_time or start_time, tz)
    return Span(starts_at, ends_at, False)


def differs_from_paris(tz_name: str, moment: datetime) -> bool:
    tz = ZoneInfo(tz_name or "Europe/Paris")
    return moment.astimezone(tz).utcoffset() != moment.astimezone(PARIS).utcoffset()
