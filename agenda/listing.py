"""The agenda's query layer: which events an agenda shows, its filters and their
counts. Every filter is a GET parameter; unknown values are ignored, never an error.

Queries per request do not depend on the number of events: one count per facet, one
page of events with its formats, organisers and tags fetched in bulk."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from taggit.models import Tag

from centres.models import Centre

from .formats import EventFormat
from .models import Attendance, EventPage, EventTag

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SLUG = re.compile(r"^[-\w]+$")
MAX_LENGTH = 100
WHEN_CHOICES = {"a-venir": _("À venir"), "passes": _("Passés")}


def events_in_scope(agenda):
    """Live public events an agenda shows: the network's on the national portal, a
    centre's own (in its tree or co-organised by it) on a centre's site."""
    events = EventPage.objects.live().public()
    centre = agenda.centre
    if centre is None:
        return events
    # A subquery rather than a join on organisers: no duplicate rows, no DISTINCT.
    co_organised = EventPage.objects.filter(organisers=centre).values("pk")
    return events.filter(Q(path__startswith=centre.home_page.path) | Q(pk__in=co_organised))


def _month_label(value: str):
    year, month = (int(part) for part in value.split("-"))
    # Lazy, so that the name of the month is translated when the page is rendered (in
    # French, whatever the visitor's browser asks for).
    return lazy(lambda: date_format(date(year, month, 1), "F Y"), str)()


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
    # False for a facet that always applies one of its options (the agenda's period).
    offers_all: bool = True

    @property
    def selected(self):
        return next((o for o in self.options if o.selected), None)


@dataclass
class Filters:
    """The visitor's filters, parsed leniently from the query string: a value that
    names nothing known is dropped, so the page answers as if it were not there."""

    centre: str = ""
    format: str = ""
    theme: str = ""
    territory: str = ""
    month: str = ""
    mode: str = ""
    when: str = ""
    # Display names of the selected values, read while checking that they exist.
    labels: dict = field(default_factory=dict, compare=False, repr=False)

    NAMES = ("centre", "format", "theme", "territory", "month", "mode", "when")

    @classmethod
    def from_query(cls, query) -> "Filters":
        values = {}
        for name in cls.NAMES:
            raw = query.get(name, "")
            raw = raw.strip() if isinstance(raw, str) else ""
            # Overlong or control characters (NUL breaks PostgreSQL): not a value of ours.
            values[name] = raw if len(raw) <= MAX_LENGTH and raw.isprintable() else ""
        for name in ("centre", "format", "theme"):
            if not SLUG.match(values[name]):
                values[name] = ""
        if not MONTH.match(values["month"]):
            values["month"] = ""
        if values["mode"] not in Attendance.values:
            values["mode"] = ""
        if values["when"] not in WHEN_CHOICES:
            values["when"] = ""
        labels = {}
        lookups = {
            "centre": lambda v: Centre.objects.filter(slug=v).values_list("name", flat=True),
            "format": lambda v: EventFormat.objects.filter(slug=v).values_list("name", flat=True),
            "theme": lambda v: Tag.objects.filter(slug=v).values_list("name", flat=True),
            "territory": lambda v: (Centre.objects.filter(territory=v)
                                    .values_list("territory", flat=True)),
        }
        for name, lookup in lookups.items():
            if values[name]:
                label = lookup(values[name]).first()
                if label is None:
                    values[name] = ""
                else:
                    labels[name] = label
        if values["month"]:
            labels["month"] = _month_label(values["month"])
        return cls(**values, labels=labels)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}


def month_bounds(value: str) -> tuple[date, date]:
    year, month = (int(part) for part in value.split("-"))
    return date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1)


def apply(events, filters: Filters, *, skip: str = ""):
    """Narrow `events` by every filter but `skip` (facet counts leave out their own).
    Filters across many-valued relations go through subqueries: an event with two
    organisers in the same territory is still listed once."""
    now = timezone.now()
    if filters.centre and skip != "centre":
        events = events.filter(pk__in=EventPage.objects.filter(
            organisers__slug=filters.centre).values("pk"))
    if filters.format and skip != "format":
        events = events.filter(event_format__slug=filters.format)
    if filters.theme and skip != "theme":
        events = events.filter(pk__in=EventTag.objects.filter(
            tag__slug=filters.theme).values("content_object"))
    if filters.territory and skip != "territory":
        events = events.filter(pk__in=EventPage.objects.filter(
            organisers__territory=filters.territory).values("pk"))
    if filters.month and skip != "month":
        # The month of the event's first day, as its page shows it (in its own time
        # zone) and as the month facet counts it.
        first, following = month_bounds(filters.month)
        events = events.filter(start_date__gte=first, start_date__lt=following)
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
    """One GROUP BY query per facet, over the events matching the other filters: the
    count of an option is the number of events listed when it is chosen."""
    result = []

    def counted(name, label, rows, selected_value):
        facet = Facet(name, label)
        for value, text, count in rows:
            if value:
                facet.options.append(Option(str(value), text, count, str(value) == selected_value))
        if selected_value and facet.selected is None:
            # Chosen, but nothing matches with the other filters: still shown as chosen.
            text = filters.labels.get(name, selected_value)
            facet.options.append(Option(selected_value, text, 0, True))
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
            .values_list("territory")
            .annotate(n=Count("organised_events", distinct=True)).order_by("territory"))
    counted("territory", _("Territoire"), [(t, t, n) for t, n in rows], filters.territory)

    rows = (EventPage.objects.filter(pk__in=base("month"))
            .annotate(month=TruncMonth("start_date")).values_list("month")
            .annotate(n=Count("pk")).order_by("month"))
    months = [(m.strftime("%Y-%m"), n) for m, n in rows]
    counted("month", _("Mois"), [(v, _month_label(v), n) for v, n in months], filters.month)

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
    result[-1].offers_all = False
    return result


def with_related(events):
    return events.select_related("event_format").prefetch_related("organisers", "tagged_items__tag")
