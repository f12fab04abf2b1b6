"""The agenda's query layer: which events an agenda shows, its filters and their
counts. Every filter is a GET parameter; unknown values are ignored, never an error.

Queries per request do not depend on the number of events: one count per facet, one
page of events with its formats, organisers and tags fetched in bulk."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres.models import Centre

from .models import Attendance, EventPage, EventTag

PARIS = ZoneInfo("Europe/Paris")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
WHEN_CHOICES = {"a-venir": _("À venir"), "passes": _("Passés")}


def events_in_scope(agenda):
    """Live public events an agenda shows: the network's on the national portal, a
    centre's own (in its tree or co-organised by it) on a centre's site."""
    events = EventPage.objects.live().public()
    centre = agenda.centre
    if centre is None:
        return events
    return events.filter(Q(path__startswith=centre.home_page.path) | Q(organisers=centre)).distinct()


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[Option] = field(default_factory=list)

    @property
    def selected(self):
        return next((o for o in self.options if o.selected), None)


@dataclass
class Filters:
    """The visitor's filters, parsed leniently from the query string."""

    centre: str = ""
    format: str = ""
    theme: str = ""
    territory: str = ""
    month: str = ""
    mode: str = ""
    when: str = ""

    NAMES = ("centre", "format", "theme", "territory", "month", "mode", "when")

    @classmethod
    def from_query(cls, query) -> "Filters":
        values = {}
        for name in cls.NAMES:
            raw = query.get(name, "")
            values[name] = raw.strip()[:100] if isinstance(raw, str) else ""
        if values["month"] and not MONTH.match(values["month"]):
            values["month"] = ""
        if values["mode"] not in Attendance.values:
            values["mode"] = ""
        if values["when"] not in WHEN_CHOICES:
            values["when"] = ""
        return cls(**values)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}


def month_bounds(value: str):
    year, month = (int(part) for part in value.split("-"))
    start = datetime.combine(date(year, month, 1), time.min, PARIS)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return start, datetime.combine(following, time.min, PARIS)


def apply(events, filters: Filters, *, skip: str = ""):
    """Narrow `events` by every filter but `skip` (facet counts leave out their own)."""
    now = timezone.now()
    if filters.centre and skip != "centre":
        events = events.filter(organisers__slug=filters.centre)
    if filters.format and skip != "format":
        events = events.filter(event_format__slug=filters.format)
    if filters.theme and skip != "theme":
        events = events.filter(tagged_items__tag__slug=filters.theme)
    if filters.territory and skip != "territory":
        events = events.filter(organisers__territory=filters.territory)
    if filters.month and skip != "month":
        start, end = month_bounds(filters.month)
        events = events.filter(starts_at__lt=end, ends_at__gte=start)
    if filters.mode and skip != "mode":
        events = events.filter(attendance=filters.mode)
    if filters.when == "a-venir" and skip != "when":
        events = events.filter(ends_at__gte=now)
    elif filters.when == "passes" and skip != "when":
        events = events.filter(ends_at__lt=now)
    return events


def _ids(queryset):
    return queryset.values("pk")


def facets(scope, filters: Filters) -> list[Facet]:
    """One GROUP BY query per facet, over the events matching the other filters."""
    result = []

    def counted(name, label, rows, selected_value):
        facet = Facet(name, label)
        for value, text, count in rows:
            if value:
                facet.options.append(Option(str(value), str(text), count, str(value) == selected_value))
        result.append(facet)

    base = lambda name: _ids(apply(scope, filters, skip=name))  # noqa: E731

    rows = (Centre.objects.filter(organised_events__in=base("centre"))
            .values_list("slug", "name").annotate(n=Count("organised_events", distinct=True))
            .order_by("name"))
    counted("centre", _("Centre"), rows, filters.centre)

    rows = (EventPage.objects.filter(pk__in=base("format"), event_format__isnull=False)
            .values_list("event_format__slug", "event_format__name")
            .annotate(n=Count("pk", distinct=True)).order_by("event_format__name"))
    counted("format", _("Format"), rows, filters.format)

    rows = (EventTag.objects.filter(content_object__in=base("theme"))
            .values_list("tag__slug", "tag__name").annotate(n=Count("content_object", distinct=True))
            .order_by("tag__name"))
    counted("theme", _("Thème"), rows, filters.theme)

    rows = (Centre.objects.filter(organised_events__in=base("territory"))
            .values_list("territory", "territory")
            .annotate(n=Count("organised_events", distinct=True)).order_by("territory"))
    counted("territory", _("Territoire"), rows, filters.territory)

    rows = (EventPage.objects.filter(pk__in=base("mode")).values_list("attendance")
            .annotate(n=Count("pk")).order_by("attendance"))
    labels = dict(Attendance.choices)
    counted("mode", _("Modalité"), [(v, labels.get(v, v), n) for v, n in rows], filters.mode)

    now = timezone.now()
    when_counts = EventPage.objects.filter(pk__in=base("when")).aggregate(
        upcoming=Count("pk", filter=Q(ends_at__gte=now)),
        past=Count("pk", filter=Q(ends_at__lt=now)),
    )
    counted("when", _("Période"), [("a-venir", WHEN_CHOICES["a-venir"], when_counts["upcoming"]),
                                   ("passes", WHEN_CHOICES["passes"], when_counts["past"])],
            filters.when)
    return result


def months_around(today: date, back: int = 6, ahead: int = 12) -> list[str]:
    """Month values offered in the month filter, as YYYY-MM."""
    first = date(today.year, today.month, 1)
    months = []
    for offset in range(-back, ahead + 1):
        index = first.year * 12 + first.month - 1 + offset
        months.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
    return months


def with_related(events):
    return events.select_related("event_format").prefetch_related("organisers", "tagged_items__tag")
