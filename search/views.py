"""`/recherche/` on every site, and its suggestions for the autocomplete.

One full-text match per search (`matched_ids`, cached under the content version): the
filters, the facet counts, the date sort and the page of results all work on its id
set. See docs/search.md, "What makes it fast"."""

from dataclasses import replace
from hashlib import sha1

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import JsonResponse
from django.template.response import TemplateResponse

from wagtail.models import Page, Site

from agenda.models import EventPage
from agenda.views import paginate  # 20 a page, 404 out of range, as the listings
from centres.models import Centre
from portal.cache import TIMEOUT, cached_facets, content_version
from publications.models import PublicationPage

from . import engine
from .excerpt import excerpt, highlight, page_text
from .models import QueryDay, SearchPromotion, normalise
from .query import RESULT_DATE, Filters, apply, facets, found, in_scope, ordered, type_label

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


def results_of(ids, query):
    """The page of results (`ids`, in order) as `Result`s: specific pages fetched in one
    query per content type, their centres in bulk (a constant number of queries per
    page of results)."""
    ids = list(ids)
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=ids)
             .annotate(result_date=RESULT_DATE).specific(defer=False)}
    pages = [by_id[pk] for pk in ids if pk in by_id]
    # Each result's URL names its language's site root (translations on): one query.
    prefetch_related_objects(pages, "locale")
    prefetch_related_objects([p for p in pages if isinstance(p, EventPage)], "organisers")
    prefetch_related_objects([p for p in pages if isinstance(p, PublicationPage)], "authors")
    centres = [(c.home_page.path, c) for c in Centre.objects.select_related("home_page")
               .filter(home_page__isnull=False)]
    return [Result(page, query, centres) for page in pages]


def ids_key(site, query, centre, version) -> str:
    digest = sha1(query.encode()).hexdigest()
    return (f"portal:v{version}:search-ids:{site.pk if site else '-'}:"
            f"{centre.pk if centre else '-'}:{digest}")


def matched_ids(site, query, centre, request):
    """`(ids, backend)`: the pages in scope matching `query`, best first; the search
    backend runs once per (site, scope, query) and content version. An answer from the
    database while the external server is down is not cached: the server is asked again
    once it is back."""
    key = ids_key(site, query, centre, content_version(request))
    value = cache.get(key)
    if value is None:
        matched, backend = engine.match(query, Page)
        value = (list(in_scope(matched, centre).values_list("pk", flat=True)), backend)
        if backend == engine.EXTERNAL or not engine.external_configured():
            cache.set(key, value, TIMEOUT)
    return value


def results_page(ids, filters, number):
    """The page of results over the matched ids: the ids in relevance order kept by the
    filters (or sorted by date in the database), paginated; its object_list are ids."""
    if filters.sort == "date":
        pks = ordered(apply(found(ids), filters), filters).values_list("pk", flat=True)
        return paginate(pks, number)
    if filters.narrows():
        kept = set(apply(found(ids), filters).values_list("pk", flat=True))
        ids = [pk for pk in ids if pk in kept]
    return paginate(ids, number)


def search(request):
    site = Site.find_for_request(request)
    filters = Filters.from_query(request.GET)
    own_centre = site_centre(site)
    # A centre's site searches its centre first; one click widens to the network.
    centre = None if filters.scope == "reseau" else own_centre
    context = {"filters": filters, "query": filters.active(), "own_centre": own_centre,
               "scoped_centre": centre, "site": site, "results": None, "promotions": []}
    if filters.q:
        ids, backend = matched_ids(site, filters.q, centre, request)
        scope = found(ids)
        page = results_page(ids, filters, request.GET.get("page"))
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
