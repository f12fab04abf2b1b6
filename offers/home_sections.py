"""The offers' section on a centre's home (centres.sections): its open offers and calls,
soonest closing first; on the national portal, the network's."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from centres import sections
from portal.covers import with_covers


def open_offers(scope, count):
    from .models import OfferIndexPage, OfferPage, today

    offers = (
        OfferPage.objects.live()
        .public()
        .filter(Q(closing_date__isnull=True) | Q(closing_date__gte=today()))
    )
    if scope.centre is not None:
        offers = offers.descendant_of(scope.centre.home_page)
    listed = list(
        with_covers(offers).order_by(F("closing_date").asc(nulls_last=True), "-pk")[:count]
    )
    if not listed:
        return None
    index = OfferIndexPage.objects.child_of(scope.home_page).live().first()
    return {"offers": listed, "more_url": index.get_url(scope.request) if index else ""}


def register_sections():
    sections.register(
        sections.SectionKind(
            name="offers",
            label=_("Offres et appels"),
            template="offers/sections/open_offers.html",
            items=open_offers,
            order=35,
            default_count=3,
        )
    )
