"""Import a centre's iCalendar feed into its agenda: one event page per VEVENT UID (per
occurrence of a recurring event, see ical_read), updated when the feed changes, never
when an editor changed the page by hand since the last import, unpublished when
cancelled (STATUS:CANCELLED) or gone from the feed. An event that cannot be read is
refused with its UID and reason; the rest of the feed is imported."""

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

import icalendar

from agenda.models import EventPage
from centres.ownership import centre_for_page

from .fetch import FetchError, fetch
from .ical_read import Unreadable, event_values, occurrences_of, text_of
from .models import AgendaFeed, ImportedItem
from .pages import fingerprint, free_slug, publish
from .report import ImportFailed, Report


def read_calendar(data: bytes, source: str) -> icalendar.Calendar:
    """The feed as one calendar: a file holding several VCALENDARs (some tools
    concatenate their calendars) is read as their events together."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFailed(
            f"{source} : le flux n'est pas en UTF-8, comme l'exige iCalendar "
            f"(octet illisible en position {error.start})"
        ) from error
    # Lines ended by a lone CR (old Mac tools) are read as lines.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:  # icalendar raises ValueError and others on broken text
        raise ImportFailed(
            f"{source} : ce n'est pas un flux iCalendar lisible ({error})"
        ) from error
    calendars = [calendar for calendar in calendars if calendar.name == "VCALENDAR"]
    if not calendars:
        raise ImportFailed(f"{source} : ce n'est pas un flux iCalendar (pas de VCALENDAR)")
    if len(calendars) == 1:
        return calendars[0]
    merged = icalendar.Calendar()
    for calendar in calendars:
        for component in calendar.subcomponents:
            merged.add_component(component)
    return merged


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
        for key, occurrence in occurrences_of(calendar, timezone.localdate()):
            if isinstance(occurrence, Unreadable):
                self.report.skip(key, occurrence)
                continue
            seen.add(key)
            try:
                with transaction.atomic():  # one event's failure leaves the others
                    self.one(key, occurrence)
            except Unreadable as error:
                self.report.skip(key, error)
            except (ValidationError, ValueError, DatabaseError) as error:
                self.report.skip(key, self.reason(error))
        for key, item in self.items.items():
            if key not in seen:
                self.remove(item, key, "disparu du flux")

    @staticmethod
    def reason(error):
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            return "; ".join(f"{k} : {' '.join(v)}" for k, v in error.message_dict.items())
        if isinstance(error, ValidationError):
            return " ".join(error.messages)
        return f"donnée refusée ({str(error).splitlines()[0][:200] if str(error) else error!r})"

    def one(self, key, occurrence):
        component = occurrence.component
        item = self.items.get(key)
        if text_of(component, "STATUS").upper() == "CANCELLED":
            if item is not None:
                self.remove(item, key, "annulé (STATUS:CANCELLED)")
            else:
                self.report.skip(key, "annulé, jamais importé")
            return
        values = event_values(occurrence, self.zone)
        for problem in occurrence.warnings:
            self.report.warn(key, problem)
        stamp = fingerprint(values)
        if item is None:
            self.create(key, values, stamp)
            return
        if item.page_id is None:
            self.report.skip(key, "supprimé à la main : pas réimporté")
            return
        page = item.page.specific
        if item.edited_by_hand(page):
            self.report.skip(key, f"modifié à la main depuis l'import ({page.url_path})")
            return
        if item.fingerprint == stamp and page.live:
            self.report.unchanged.append(key)
            return
        apply(page, values)
        page.tags.set(values["themes"])
        publish(page, item, stamp)
        self.report.updated.append(f"{key} → {page.url_path}")

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
