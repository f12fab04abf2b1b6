"""Public views of the agenda: the filtered listing and `/evenement/<slug>`."""

from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from centres.consent import prefetch_agreed
from portal.cache import cached_facets, fragment_key, listing_key
from portal.covers import with_covers
from portal.pagination import PAGE_SIZE, TIME_SLICE, cached_page, paginate  # noqa: F401

from .listing import Filters, apply, facets
from .models import EventPage


def card_related(events):
    """What an event card shows (its format, organisers and cover), fetched in bulk."""
    return with_covers(
        events.select_related("event_format").prefetch_related("organisers", prefetch_agreed())
    )


def agenda_listing(agenda, request):
    filters = Filters.from_query(request.GET)
    # Upcoming by default; the facets count what the visitor sees, so with the same
    # default (an option's count is the number of events listed when it is chosen).
    shown = replace(filters, when=filters.when or "a-venir")
    order = "starts_at" if shown.when == "a-venir" else "-starts_at"
    key = listing_key("agenda", agenda, shown, per_seconds=TIME_SLICE)
    page = cached_page(
        request,
        key,
        EventPage,
        lambda: apply(agenda.scope(), shown).order_by(order, "pk"),
        request.GET.get("page"),
        card_related,
    )
    query = filters.active()
    # A subscribed calendar keeps recent past events too: the listing's default
    # "upcoming" period does not travel into the feeds' addresses.
    feed_query = {k: v for k, v in query.items() if (k, v) != ("when", "a-venir")}
    suffix = "?" + urlencode(feed_query) if feed_query else ""
    base = agenda.get_url(request)
    context = agenda.get_context(request)
    context.update(
        filters=filters,
        when=shown.when,
        # Lazy, as the cards: read only to render the form's fields, a cached fragment.
        facets=SimpleLazyObject(
            lambda: cached_facets(
                "agenda-facets",
                agenda,
                shown,
                lambda: facets(agenda.scope(), shown),
                request,
                per_seconds=TIME_SLICE,
            )
        ),
        facets_key=fragment_key(request, "facets", key),
        events=page,
        # The cards of this page, rendered once per content version and time slice.
        cards_key=fragment_key(request, key, page.number),
        query=query,
        feeds={
            "ical": base + agenda.reverse_subpage("ical_route") + suffix,
            "rss": base + agenda.reverse_subpage("rss_route") + suffix,
            "atom": base + agenda.reverse_subpage("atom_route") + suffix,
        },
    )
    return TemplateResponse(request, agenda.get_template(request), context)


def event_by_slug(request, slug):
    """`/evenement/<slug>` on the national portal, the address the network has used for
    years: serves the event (network events first) with rel=canonical to its page."""
    site = Site.find_for_request(request)
    if site is None or not site.is_default_site:
        raise Http404("Adresse propre au portail national.")
    # The French page (its English translation shares the slug and lives under /en/).
    events = (
        EventPage.objects.live()
        .public()
        .filter(slug=slug, locale__language_code=settings.LANGUAGE_CODE)
    )
    national = events.descendant_of(site.root_page).first()
    event = national or events.order_by("-starts_at").first()
    if event is None:
        raise Http404("Aucun événement à cette adresse.")
    return event.serve(request)
