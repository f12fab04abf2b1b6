"""The offers' side of the shared query layer (`portal.listing`): which offers a listing
shows (open ones: an offer leaves the listing the day after its closing date), its
filters (`DIMENSIONS`: kind, centre, territory, closing month) and their counts. Every
filter is a GET parameter; a value naming nothing is dropped, never an error.

Queries per request do not depend on the number of offers: one GROUP BY per facet, one
page of offers."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.db.models.functions import Substr, TruncMonth
from django.utils.dateformat import format as date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from centres.models import Centre
from portal.listing import Dimension, Facet, count_facets, narrow, read

from .models import OfferKind, OfferPage, today

SLUG = re.compile(r"^[-\w]+$")
MONTH = re.compile(r"^([12]\d{3})-(0[1-9]|1[0-2])$")
# A centre's home page is at depth 2 of Wagtail's tree: the first two steps of a path
# (4 characters each) name the site an offer lives on.
HOME_PATH_LENGTH = 8


def offers_in_scope(listing, *, open_only=True):
    """Live public offers of a listing: the network's on the portal, a centre's own on
    its site; only open ones (closing date today or later) unless `open_only` is False."""
    offers = OfferPage.objects.live().public()
    if open_only:
        offers = offers.filter(closing_date__gte=today())
    centre = listing.centre
    if centre is None:
        return offers
    return offers.filter(path__startswith=centre.home_page.path)


def _month_label(value: str):
    year, month = (int(part) for part in value.split("-"))
    return lazy(lambda: date_format(date(year, month, 1), "F Y"), str)()


@dataclass
class Filters:
    kind: str = ""
    centre: str = ""
    territory: str = ""
    closing: str = ""
    labels: dict = field(default_factory=dict, compare=False, repr=False)

    NAMES = ("kind", "centre", "territory", "closing")

    @classmethod
    def from_query(cls, query) -> "Filters":
        values = {name: read(query, name) for name in cls.NAMES}
        if values["kind"] not in OfferKind.values:
            values["kind"] = ""
        if not SLUG.match(values["centre"] or "-"):
            values["centre"] = ""
        if not MONTH.match(values["closing"]):
            values["closing"] = ""
        labels = {}
        if values["kind"]:
            labels["kind"] = OfferKind(values["kind"]).label
        if values["centre"]:
            name = Centre.objects.filter(slug=values["centre"]).values_list("name", flat=True)
            name = name.first()
            if name is None:
                values["centre"] = ""
            else:
                labels["centre"] = name
        if values["territory"]:
            known = OfferPage.objects.filter(territory=values["territory"]).exists()
            known = known or Centre.objects.filter(territory=values["territory"]).exists()
            if known:
                labels["territory"] = values["territory"]
            else:
                values["territory"] = ""
        if values["closing"]:
            labels["closing"] = _month_label(values["closing"])
        return cls(**values, labels=labels)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}


def _narrow_centre(offers, slug):
    # A subquery on the first steps of the path: no extra query, no join.
    homes = Centre.objects.filter(slug=slug).values("home_page__path")
    return offers.annotate(home=Substr("path", 1, HOME_PATH_LENGTH)).filter(home__in=homes)


def _narrow_closing(offers, value):
    year, month = (int(part) for part in value.split("-"))
    first, following = date(year, month, 1), date(year + (month == 12), month % 12 + 1, 1)
    return offers.filter(closing_date__gte=first, closing_date__lt=following)


def _count_kinds(ids):
    rows = (
        OfferPage.objects.filter(pk__in=ids)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    labels = dict(OfferKind.choices)
    return [(v, labels.get(v, v), n) for v, n in rows]


def _count_centres(ids):
    rows = (
        OfferPage.objects.filter(pk__in=ids)
        .annotate(home=Substr("path", 1, HOME_PATH_LENGTH))
        .values_list("home")
        .annotate(n=Count("pk"))
        .order_by("home")
    )
    counts = dict(rows)
    if not counts:
        return []
    centres = Centre.objects.filter(home_page__path__in=counts).values_list(
        "home_page__path", "slug", "name"
    )
    return [(slug, name, counts[path]) for path, slug, name in centres]


def _count_territories(ids):
    rows = (
        OfferPage.objects.filter(pk__in=ids)
        .exclude(territory="")
        .values_list("territory")
        .annotate(n=Count("pk"))
        .order_by("territory")
    )
    return [(t, t, n) for t, n in rows]


def _count_months(ids):
    rows = (
        OfferPage.objects.filter(pk__in=ids)
        .annotate(month=TruncMonth("closing_date"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    months = [(m.strftime("%Y-%m"), n) for m, n in rows]
    return [(v, _month_label(v), n) for v, n in months]


DIMENSIONS = (
    Dimension("kind", _("Nature"), lambda o, v: o.filter(kind=v), _count_kinds, keep_selected=True),
    Dimension("centre", _("Centre"), _narrow_centre, _count_centres, by_label=True),
    Dimension(
        "territory",
        _("Territoire"),
        lambda o, v: o.filter(territory=v),
        _count_territories,
        by_label=True,
        keep_selected=True,
    ),
    Dimension("closing", _("Clôture"), _narrow_closing, _count_months, keep_selected=True),
)


def apply(offers, filters: Filters, *, skip: str = ""):
    return narrow(offers, DIMENSIONS, filters, skip=skip)


def facets(scope, filters: Filters) -> list[Facet]:
    """One GROUP BY query per facet (two for the centres), over the offers matching the
    other filters."""
    return count_facets(scope, DIMENSIONS, filters, filters.labels)
