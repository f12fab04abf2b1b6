"""The public listing of offers: open offers, filtered by GET parameters, with counts."""

from urllib.parse import urlencode

from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from portal.cache import cached_facets, fragment_key, listing_key
from portal.covers import with_covers
from portal.pagination import TIME_SLICE, cached_page

from .listing import Filters, apply, facets, offers_in_scope
from .models import OfferPage


def offer_listing(listing, request):
    filters = Filters.from_query(request.GET)
    # Offers close by themselves at midnight: what the listing computes is cut into
    # time slices, as the agenda's upcoming events.
    key = listing_key("offers", listing, filters, per_seconds=TIME_SLICE)
    page = cached_page(
        request,
        key,
        OfferPage,
        lambda: apply(offers_in_scope(listing), filters).order_by("closing_date", "pk"),
        request.GET.get("page"),
        with_covers,
    )
    query = filters.active()
    suffix = "?" + urlencode(query) if query else ""
    base = listing.get_url(request)
    context = listing.get_context(request)
    context.update(
        filters=filters,
        facets=SimpleLazyObject(
            lambda: cached_facets(
                "offers-facets",
                listing,
                filters,
                lambda: facets(offers_in_scope(listing), filters),
                request,
                per_seconds=TIME_SLICE,
            )
        ),
        facets_key=fragment_key(request, "facets", key),
        results=page,
        cards_key=fragment_key(request, key, page.number),
        query=query,
        feeds={"rss": base + "rss/" + suffix, "atom": base + "atom/" + suffix},
    )
    return TemplateResponse(request, listing.get_template(request), context)
