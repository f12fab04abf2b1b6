"""The agenda's side of the shared query layer (`portal.listing`): which events an
agenda shows, its filters (`DIMENSIONS`) and their counts. Every filter is a GET parameter;
unknown values are ignored, never an error.

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

from centres.consent import accepted_links, pages_of, prefetch_agreed
from centres.models import Centre
from portal.listing import Dimension, Facet, count_facets, narrow, read

from .formats import EventFormat
from .models import Attendance, EventPage, EventTag

# Years 1000-2999: a month outside them names no event, and year 0 or the month after
# December 9999 is no date at all (it used to be a 500).
MONTH = re.compile(r"^([12]\d{3})-(0[1-9]|1[0-2])$")
SLUG = re.compile(r"^[-\w]+$")
WHEN_CHOICES = {"a-venir": _("À venir"), "passes": _("Passés")}


def events_in_scope(agenda):
    """Live public events an agenda shows: the network's on the national portal, a
    centre's own (in its tree or co-organised by it) on a centre's site."""
    events = EventPage.objects.live().public()
    centre = agenda.centre
    if centre is None:
        return events
    # A subquery rather than a join on organisers: no duplicate rows, no DISTINCT. Only
    # the events the centre agreed to co-organise (centres.consent).
    co_organised = pages_of(EventPage.organisers, pk=centre.pk)
    return events.filter(Q(path__startswith=centre.home_page.path) | Q(pk__in=co_organised))


def _month_label(value: str):
    year, month = (int(part) for part in value.split("-"))
    # Lazy, so that the name of the month is translated when the page is rendered (in
    # French, whatever the visitor's browser asks for).
    return lazy(lambda: date_format(date(year, month, 1), "F Y"), str)()


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
        values = {name: read(query, name) for name in cls.NAMES}
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
            "territory": lambda v: Centre.objects.filter(territory=v).values_list(
                "territory", flat=True
            ),
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


def _narrow_centre(events, slug):
    return events.filter(pk__in=pages_of(EventPage.organisers, slug=slug))


def _narrow_theme(events, slug):
    return events.filter(pk__in=EventTag.objects.filter(tag__slug=slug).values("content_object"))


def _narrow_territory(events, territory):
    return events.filter(pk__in=pages_of(EventPage.organisers, territory=territory))


def _narrow_month(events, value):
    # The month of the event's first day, as its page shows it (in its own time zone)
    # and as the month facet counts it.
    first, following = month_bounds(value)
    return events.filter(start_date__gte=first, start_date__lt=following)


def _narrow_when(events, value):
    now = timezone.now()
    return events.filter(ends_at__gte=now) if value == "a-venir" else events.filter(ends_at__lt=now)


def _count_centres(ids):
    return (
        accepted_links(EventPage.organisers)
        .filter(eventpage__in=ids)
        .values_list("centre__slug", "centre__name")
        .annotate(n=Count("eventpage", distinct=True))
        .order_by("centre__name")
    )


def _count_formats(ids):
    return (
        EventPage.objects.filter(pk__in=ids, event_format__isnull=False)
        .values_list("event_format__slug", "event_format__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("event_format__name")
    )


def _count_themes(ids):
    return (
        EventTag.objects.filter(content_object__in=ids)
        .values_list("tag__slug", "tag__name")
        .annotate(n=Count("content_object", distinct=True))
        .order_by("tag__name")
    )


def _count_territories(ids):
    rows = (
        accepted_links(EventPage.organisers)
        .filter(eventpage__in=ids)
        .values_list("centre__territory")
        .annotate(n=Count("eventpage", distinct=True))
        .order_by("centre__territory")
    )
    return [(t, t, n) for t, n in rows]


def _count_months(ids):
    rows = (
        EventPage.objects.filter(pk__in=ids)
        .annotate(month=TruncMonth("start_date"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    months = [(m.strftime("%Y-%m"), n) for m, n in rows]
    return [(v, _month_label(v), n) for v, n in months]


def _count_modes(ids):
    rows = (
        EventPage.objects.filter(pk__in=ids)
        .values_list("attendance")
        .annotate(n=Count("pk"))
        .order_by("attendance")
    )
    labels = dict(Attendance.choices)
    return [(v, labels.get(v, v), n) for v, n in rows]


def _count_when(ids):
    now = timezone.now()
    counts = EventPage.objects.filter(pk__in=ids).aggregate(
        upcoming=Count("pk", filter=Q(ends_at__gte=now)),
        past=Count("pk", filter=Q(ends_at__lt=now)),
    )
    return [
        ("a-venir", WHEN_CHOICES["a-venir"], counts["upcoming"]),
        ("passes", WHEN_CHOICES["passes"], counts["past"]),
    ]


# The agenda's filters, in the order of its form. A chosen value that matches nothing
# with the other filters is still shown as chosen.
DIMENSIONS = (
    Dimension(
        "centre", _("Centre"), _narrow_centre, _count_centres, keep_selected=True, by_label=True
    ),
    Dimension(
        "format",
        _("Format"),
        lambda e, v: e.filter(event_format__slug=v),
        _count_formats,
        keep_selected=True,
        by_label=True,
    ),
    # Names sorted in French reading order ("Égalité" among the E's): portal.listing.
    Dimension("theme", _("Thème"), _narrow_theme, _count_themes, keep_selected=True, by_label=True),
    Dimension(
        "territory",
        _("Territoire"),
        _narrow_territory,
        _count_territories,
        keep_selected=True,
        by_label=True,
    ),
    Dimension("month", _("Mois"), _narrow_month, _count_months, keep_selected=True),
    Dimension(
        "mode", _("Modalité"), lambda e, v: e.filter(attendance=v), _count_modes, keep_selected=True
    ),
    Dimension(
        "when", _("Période"), _narrow_when, _count_when, offers_all=False, keep_selected=True
    ),
)


def apply(events, filters: Filters, *, skip: str = ""):
    """Narrow `events` by every filter but `skip` (facet counts leave out their own)."""
    return narrow(events, DIMENSIONS, filters, skip=skip)


def facets(scope, filters: Filters) -> list[Facet]:
    """One GROUP BY query per facet, over the events matching the other filters: the
    count of an option is the number of events listed when it is chosen."""
    return count_facets(scope, DIMENSIONS, filters, filters.labels)


def with_related(events):
    return events.select_related("event_format").prefetch_related(
        "organisers", prefetch_agreed(), "tagged_items__tag"
    )
