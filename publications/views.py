"""Public views of the library: the filtered listing and `/publication/<slug>`."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from centres.consent import prefetch_agreed
from portal.cache import cached_facets, fragment_key, listing_key
from portal.covers import with_covers
from portal.pagination import cached_page

from .listing import SORTS, Filters, apply, facets, publications_in_scope
from .models import PublicationPage


def card_related(publications):
    """What a publication card shows (kind, group, authors, cover), fetched in bulk."""
    return with_covers(
        publications.select_related("kind", "working_group").prefetch_related(
            "authors", prefetch_agreed()
        )
    )


def library_listing(library, request):
    filters = Filters.from_query(request.GET)
    key = listing_key("library", library, filters)
    page = cached_page(
        request,
        key,
        PublicationPage,
        lambda: apply(publications_in_scope(library), filters).order_by(
            SORTS[filters.sort or "recent"], "-pk"
        ),
        request.GET.get("page"),
        card_related,
    )
    query = filters.active()
    suffix = "?" + urlencode(query) if query else ""
    base = library.get_url(request)
    context = library.get_context(request)
    context.update(
        # Lazy, as the cards: read only to render the form's fields, a cached fragment.
        filters=filters,
        facets=SimpleLazyObject(
            lambda: cached_facets(
                "library-facets",
                library,
                filters,
                lambda: facets(publications_in_scope(library), filters),
                request,
            )
        ),
        facets_key=fragment_key(request, "facets", key),
        results=page,
        cards_key=fragment_key(request, key, page.number),
        query=query,
        feeds={"rss": base + "rss/" + suffix, "atom": base + "atom/" + suffix},
    )
    return TemplateResponse(request, library.get_template(request), context)


def publication_by_slug(request, slug):
    """`/publication/<slug>` on the national portal: the network's publications first,
    then any centre's, served with rel=canonical to the page's own address."""
    site = Site.find_for_request(request)
    if site is None or not site.is_default_site:
        raise Http404("Adresse propre au portail national.")
    # The French page (its English translation shares the slug and lives under /en/).
    publications = (
        PublicationPage.objects.live()
        .public()
        .filter(slug=slug, locale__language_code=settings.LANGUAGE_CODE)
    )
    publication = (
        publications.descendant_of(site.root_page).first()
        or publications.order_by("-publication_date").first()
    )
    if publication is None:
        raise Http404("Aucune publication à cette adresse.")
    return publication.serve(request)
