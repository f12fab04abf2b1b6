"""`/recherche/` on every site, and its suggestions for the autocomplete.

One full-text match per search (`matched_ids`, cached under the content version): the
filters, the facet counts, the date sort and the page of results all work on its id
set. See docs/search.md, "What makes it fast"."""

from dataclasses import replace
from hashlib import sha1

from django.core.cache import cache
from django.http import JsonResponse
from django.template.response import TemplateResponse

from wagtail.models import Page, Site

from agenda.models import EventPage
from centres.consent import accepted_links
from centres.models import Centre
from portal.cache import TIMEOUT, cached, cached_facets, content_version
from portal.pagination import paginate  # 20 a page, 404 out of range, as the listings
from publications.models import PublicationPage

from . import engine, figures, table
from .excerpt import excerpt, highlight, page_text
from .models import SearchPromotion, normalise
from .query import Filters, apply, content_types, facets, in_scope, type_label

SUGGESTIONS = 8


def site_centre(site):
    """The centre whose site this is (None on the national portal)."""
    if site is None or site.is_default_site:
        return None
    return Centre.objects.select_related("home_page").filter(home_page_id=site.root_page_id).first()


class Result:
    """One line of the results: the page, its type, centres, date and excerpt."""

    def __init__(self, page, query, date, centres: list[str], request=None):
        self.page = page
        # With the request, Wagtail reads the sites' root paths once per request (from
        # the request), not from the cache once per result.
        self.url = page.get_url(request)
        self.type = type_label(page.content_type_id)
        self.title = highlight(page.title, query)
        self.excerpt = excerpt(page_text(page), query)
        self.centres = centres  # names
        self.date = date
        self.upcoming = isinstance(page, EventPage) and page.state != "past"


def centre_names(pages, request) -> dict[int, list[str]]:
    """{page pk: names of its centres}: an event's organisers, a resource's authors,
    otherwise the centre whose site holds the page (one query per relation, without
    making model instances; the centres' home paths cached)."""
    names = {}
    for model, relation in (
        (EventPage, EventPage.organisers),
        (PublicationPage, PublicationPage.authors),
    ):
        pks = [page.pk for page in pages if isinstance(page, model)]
        if pks:
            page_column, centre = table.through_fields(relation, model)
            rows = (
                accepted_links(relation)
                .filter(**{f"{page_column}__in": pks})
                .order_by(f"{centre}__name")
                .values_list(page_column, f"{centre}__name")
            )
            for pk, name in rows:
                names.setdefault(pk, []).append(name)
            names.update({pk: [] for pk in pks if pk not in names})
    others = [page for page in pages if page.pk not in names]
    if others:
        homes = cached(
            "search-centre-homes",
            lambda: list(
                Centre.objects.filter(home_page__isnull=False)
                .order_by("name")
                .values_list("home_page__path", "name")
            ),
            request,
        )
        for page in others:
            names[page.pk] = [name for path, name in homes if page.path.startswith(path)]
    return names


def results_of(matches, ids, query, request=None):
    """The page of results (`ids`, in order, among `matches`) as `Result`s: each
    content type's pages in one query with their locale (each result's URL names its
    language's site root), dates from the search's table, centres in bulk: a constant
    number of queries per page of results."""
    facts = matches.table.facts(ids)
    by_id = {}
    for model, pks in matches.table.by_model(ids).items():
        by_id.update(
            (page.pk, page) for page in model.objects.filter(pk__in=pks).select_related("locale")
        )
    pages = [by_id[pk] for pk in ids if pk in by_id]
    names = centre_names(pages, request)
    return [Result(page, query, facts[page.pk], names[page.pk], request) for page in pages]


def ids_key(site, query, centre, version) -> str:
    digest = sha1(query.encode()).hexdigest()
    return (
        f"portal:v{version}:search-ids:{site.pk if site else '-'}:"
        f"{centre.pk if centre else '-'}:{digest}"
    )


def matched_ids(site, query, centre, request):
    """`(ids, backend)`: the pages in scope matching `query`, best first; the search
    backend runs once per (site, scope, query) and content version. An answer from the
    database while the external server is down is not cached: the server is asked again
    once it is back."""
    key = ids_key(site, query, centre, content_version(request))
    value = cache.get(key)
    if value is None:
        listed = [ct.model_class() for ct in content_types().values()]
        ids, backend = engine.ranked_ids(query, Page, only=listed)
        value = (table.current(request).matches(ids, centre).ids, backend)
        if backend == engine.EXTERNAL or not engine.external_configured():
            cache.set(key, value, TIMEOUT)
    return value


def results_page(matches, filters, number):
    """The page of results over the matched pages: in relevance order (the backend's)
    or the most recent first, kept by the filters, paginated; its object_list are ids."""
    kept = apply(matches, filters)
    return paginate(kept.by_date() if filters.sort == "date" else kept.ids, number)


def search(request):
    site = Site.find_for_request(request)
    filters = Filters.from_query(request.GET)
    own_centre = site_centre(site)
    # A centre's site searches its centre first; one click widens to the network.
    centre = None if filters.scope == "reseau" else own_centre
    context = {
        "filters": filters,
        "query": filters.active(),
        "own_centre": own_centre,
        "scoped_centre": centre,
        "site": site,
        "results": None,
        "promotions": [],
    }
    if filters.q:
        ids, backend = matched_ids(site, filters.q, centre, request)
        # Kept in this process's table again: cached ids may come from another process.
        scope = table.current(request).matches(ids)
        page = results_page(scope, filters, request.GET.get("page"))
        page.object_list = results_of(scope, page.object_list, filters.q, request)
        # Facets are per search: keyed by the query and the filters, per site (scope).
        context["facets"] = cached_facets(
            "search-facets",
            site,
            replace(filters, found={}),
            lambda: facets(scope, filters),
            request,
            per_seconds=300,
        )
        context.update(results=page, backend=backend)
        if page.number == 1:
            context["promotions"] = promotions(site, filters.q, centre, request)
            if not request.GET.get("page"):
                figures.record(site, filters.q, page.paginator.count)  # no write here
    return TemplateResponse(request, "search/search_page.html", context)


def promotions(site, query, centre, request=None):
    """The pins of this site for this query. The site's pinned queries are cached (a
    change of a pin bumps the content version): most searches need no query here."""
    query = normalise(query)
    pinned = cached(
        f"search-pinned-queries:{site.pk}",
        lambda: set(SearchPromotion.objects.filter(site=site).values_list("query", flat=True)),
        request,
    )
    if query not in pinned:
        return []
    pins = (
        SearchPromotion.objects.filter(site=site, query=query)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    shown = []
    for pin in pins:
        if pin.page.live:
            pin.text = pin.description or pin.page.search_description
            shown.append(pin)
    return shown


def suggestions(request):
    """Up to eight page titles completing what the visitor typed, as JSON: the
    progressive enhancement of the search box (a <datalist> filled by a small script)."""
    filters = Filters.from_query(request.GET)
    titles = []
    if len(filters.q) >= 2:
        site = Site.find_for_request(request)
        centre = None if filters.scope == "reseau" else site_centre(site)
        matched, _backend = engine.match(filters.q, Page, autocomplete=True)
        titles = list(in_scope(matched, centre).values_list("title", flat=True)[:SUGGESTIONS])
    response = JsonResponse({"query": filters.q, "suggestions": list(dict.fromkeys(titles))})
    response["Cache-Control"] = "public, max-age=300"
    return response
