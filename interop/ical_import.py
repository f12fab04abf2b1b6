"""Import a centre's iCalendar feed into its agenda: one event page per VEVENT UID,
updated when the feed changes, never when an editor changed the page by hand since the
last import, unpublished when cancelled (STATUS:CANCELLED) or gone from the feed."""

import html
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import icalendar

from agenda.models import Attendance, EventPage
from centres.models import TIME_ZONE_CHOICES
from centres.ownership import centre_for_page

from .fetch import FetchError, fetch
from .models import AgendaFeed, ImportedItem
from .pages import fingerprint, free_slug, publish
from .report import ImportFailed, Report

ZONES = {name for name, _ in TIME_ZONE_CHOICES}
UNKNOWN_VENUE = "Lieu à préciser"


def read_calendar(data: bytes, source: str) -> icalendar.Calendar:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{source} : le flux n'est pas en UTF-8, comme l'exige iCalendar "
            f"(octet illisible en position {error.start})"
        ) from error
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise ImportFailed(
            f"{source} : ce n'est pas un flux iCalendar lisible ({error})"
        ) from error
    if calendar.name != "VCALENDAR":
        raise ImportFailed(f"{source} : ce n'est pas un flux iCalendar (pas de VCALENDAR)")
    return calendar


def text_of(component, name) -> str:
    value = component.get(name)
    return str(value).strip() if value is not None else ""


def span(component, default_zone: str) -> dict:
    start = component.decoded("DTSTART")
    end = component.decoded("DTEND") if "DTEND" in component else None
    if end is None and "DURATION" in component:
        end = start + component.decoded("DURATION")
    if not isinstance(start, datetime):  # whole days; DTEND is the day after the last
        last = end - timedelta(days=1) if isinstance(end, date) and end > start else start
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
    end = (end.astimezone(local) if end.tzinfo else end) if isinstance(end, datetime) else None
    return {
        "time_zone": zone,
        "start_date": start.date(),
        "start_time": start.time(),
        "end_date": end.date() if end and end.date() != start.date() else None,
        "end_time": end.time() if end else None,
    }


def event_values(component, default_zone: str) -> dict:
    description = text_of(component, "DESCRIPTION")
    location = text_of(component, "LOCATION")
    url = text_of(component, "URL")
    values = span(component, default_zone)
    values.update(
        title=text_of(component, "SUMMARY")[:255],
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
    if url:
        paragraphs.append(f'<p><a href="{html.escape(url)}">Voir sur le site du centre</a></p>')
    values["description"] = "".join(paragraphs)
    categories = component.get("CATEGORIES")
    categories = categories if isinstance(categories, list) else [categories] if categories else []
    values["themes"] = sorted(
        {
            str(name).strip().lower()
            for group in categories
            for name in group.cats
            if str(name).strip()
        }
    )
    return values


def apply(page, values):
    for name, value in values.items():
        if name != "themes":
            setattr(page, name, value)


class FeedImport:
    def __init__(self, feed: AgendaFeed, report: Report):
        self.feed, self.report = feed, report
        self.agenda = feed.agenda.specific
        self.centre = centre_for_page(self.agenda)
        self.zone = self.centre.time_zone if self.centre else "Europe/Paris"
        self.items = {
            item.key: item
            for item in ImportedItem.objects.filter(
                origin=ImportedItem.Origin.ICAL, source=feed.url
            ).select_related("page")
        }

    def run(self, calendar):
        seen = set()
        for component in calendar.walk("VEVENT"):
            uid = text_of(component, "UID")
            if not uid:
                self.report.skip(text_of(component, "SUMMARY") or "?", "événement sans UID")
                continue
            if "RECURRENCE-ID" in component:
                self.report.skip(uid, "occurrence modifiée d'un événement récurrent (non gérée)")
                continue
            seen.add(uid)
            try:
                with transaction.atomic():  # one event's failure leaves the others
                    self.one(uid, component)
            except (ValidationError, ValueError, KeyError) as error:
                self.report.skip(uid, self.reason(error))
        for uid, item in self.items.items():
            if uid not in seen:
                self.remove(item, uid, "disparu du flux")

    @staticmethod
    def reason(error):
        if isinstance(error, ValidationError):
            return "; ".join(f"{k} : {' '.join(v)}" for k, v in error.message_dict.items())
        return f"donnée illisible ({error})"

    def one(self, uid, component):
        if "DTSTART" not in component or not text_of(component, "SUMMARY"):
            self.report.skip(uid, "sans titre ou sans date de début")
            return
        item = self.items.get(uid)
        cancelled = text_of(component, "STATUS").upper() == "CANCELLED"
        if cancelled:
            if item is not None:
                self.remove(item, uid, "annulé (STATUS:CANCELLED)")
            else:
                self.report.skip(uid, "annulé, jamais importé")
            return
        if "RRULE" in component:
            self.report.warn(uid, "événement récurrent : seule la première date est importée")
        values = event_values(component, self.zone)
        stamp = fingerprint(values)
        if item is None:
            self.create(uid, values, stamp)
            return
        if item.page_id is None:
            self.report.skip(uid, "supprimé à la main : pas réimporté")
            return
        page = item.page.specific
        if item.edited_by_hand(page):
            self.report.skip(uid, f"modifié à la main depuis l'import ({page.url_path})")
            return
        if item.fingerprint == stamp and page.live:
            self.report.unchanged.append(uid)
            return
        apply(page, values)
        page.tags.set(values["themes"])
        publish(page, item, stamp)
        self.report.updated.append(f"{uid} → {page.url_path}")

    def create(self, uid, values, stamp):
        page = EventPage(slug=free_slug(self.agenda, values["title"]))
        apply(page, values)
        self.agenda.add_child(instance=page)
        if self.centre:
            page.organisers.set([self.centre])
        page.tags.set(values["themes"])
        item = ImportedItem(origin=ImportedItem.Origin.ICAL, source=self.feed.url, key=uid)
        publish(page, item, stamp)
        self.items[uid] = item
        self.report.created.append(f"{uid} → {page.url_path}")

    def remove(self, item, uid, why):
        if item.page_id is None or not item.page.live:
            return
        page = item.page.specific
        if item.edited_by_hand(page):
            self.report.skip(uid, f"{why}, mais modifié à la main : laissé en ligne")
        elif page.live:
            page.unpublish()
            item.withdrawn = True
            item.save(update_fields=["withdrawn"])
            self.report.removed.append(f"{uid} ({why})")


def import_feed(feed: AgendaFeed, *, dry_run=False) -> Report:
    """Fetch and import one feed in one transaction: a failure writes nothing."""
    report = Report()
    try:
        data, _ = fetch(feed.url)
    except FetchError as error:
        raise ImportFailed(str(error)) from error
    calendar = read_calendar(data, feed.url)
    with transaction.atomic():
        FeedImport(feed, report).run(calendar)
        if dry_run:
            transaction.set_rollback(True)
    return report


def record_run(feed: AgendaFeed, lines: list[str]):
    AgendaFeed.objects.filter(pk=feed.pk).update(
        last_run_at=timezone.now(), last_report="\n".join(lines)[:20000]
    )
