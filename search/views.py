"""`/recherche/` on every site, and its suggestions for the autocomplete."""

from dataclasses import replace

from django.db.models import prefetch_related_objects
from django.http import JsonResponse
from django.template.response import TemplateResponse

from wagtail.models import Page, Site

from agenda.models import EventPage
from agenda.views import paginate  # 20 a page, 404 out of range, as the listings
from centres.models import Centre
from portal.cache import cached_facets
from publications.models import PublicationPage

from . import engine
from .excerpt import excerpt, highlight, page_text
from .models import QueryDay, SearchPromotion, normalise
from .query import RESULT_DATE, Filters, apply, facets, in_scope, ordered, type_label

SUGGESTIONS = 8


def site_centre(site):
    """The centre whose site this is (None on the national portal)."""
    if site is None or site.is_default_site:
        return None
    return Centre.objects.select_related("home_page").filter(home_page_id=site.root_page_id).first()


class Result:
    """One line of the results: the page, its type, centres, date and excerpt."""

    def __init__(self, page, query, centres_by_path):
        self.page = page
        self.type = type_label(page.content_type_id)
        self.title = highlight(page.title, query)
        self.excerpt = excerpt(page_text(page), query)
        if isinstance(page, EventPage):
            self.centres = list(page.organisers.all())
        elif isinstance(page, PublicationPage):
            self.centres = list(page.authors.all())
        else:
            self.centres = [c for path, c in centres_by_path if page.path.startswith(path)]
        self.date = getattr(page, "result_date", None)
        self.upcoming = isinstance(page, EventPage) and page.state != "past"


def results_of(pages, query):
    """The page of results as `Result`s: specific pages fetched per content type, their
    centres in bulk (a constant number of queries per page of results)."""
    pages = list(pages.annotate(result_date=RESULT_DATE).specific(defer=False))
    prefetch_related_objects([p for p in pages if isinstance(p, EventPage)], "organisers")
    prefetch_related_objects([p for p in pages if isinstance(p, PublicationPage)], "authors")
    centres = [(c.home_page.path, c) for c in Centre.objects.select_related("home_page")
               .filter(home_page__isnull=False)]
    return [Result(page, query, centres) for page in pages]


def search(request):
    site = Site.find_for_request(request)
    filters = Filters.from_query(request.GET)
    own_centre = site_centre(site)
    # A centre's site searches its centre first; one click widens to the network.
    centre = None if filters.scope == "reseau" else own_centre
    context = {"filters": filters, "query": filters.active(), "own_centre": own_centre,
               "scoped_centre": centre, "site": site, "results": None, "promotions": []}
    if filters.q:
        matched, backend = engine.match(filters.q, Page)
        scope = in_scope(matched, centre)
        page = paginate(ordered(apply(scope, filters), filters), request.GET.get("page"))
        page.object_list = results_of(page.object_list, filters.q)
        # Facets are per search: keyed by the query and the filters, per site (scope).
        context["facets"] = cached_facets(
            "search-facets", site, replace(filters, found={}), lambda: facets(scope, filters),
            request, per_seconds=300)
        context.update(results=page, backend=backend)
        if page.number == 1:
            context["promotions"] = promotions(site, filters.q, centre)
            if not request.GET.get("page"):
                QueryDay.record(site, filters.q, page.paginator.count)
    return TemplateResponse(request, "search/search_page.html", context)


def promotions(site, query, centre):
    pins = (SearchPromotion.objects.filter(site=site, query=normalise(query))
            .select_related("page").order_by("sort_order", "pk"))
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
