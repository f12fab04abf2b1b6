"""`/recherche/` on every site, and its suggestions for the autocomplete.

One full-text match per search (`matched_ids`, cached under the content version): the
filters, the facet counts, the date sort and the page of results all work on its id
set. See docs/search.md, "What makes it fast"."""

from collections import Counter
from dataclasses import replace
from hashlib import sha1

from django.core.cache import cache
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from agenda.models import EventDocument, EventPage, EventSpeaker
from centres.consent import accepted_links
from centres.models import Centre
from offers.models import OfferPage
from portal import warmup
from portal.cache import TIMEOUT, cached, cached_facets, content_version
from portal.listing import sort_key
from portal.models import DocumentText
from portal.pagination import paginate  # 20 a page, 404 out of range, as the listings
from portal.routing import site_of
from publications.models import (
    Partner,
    PublicationDocument,
    PublicationPage,
    WorkingGroupPage,
    WorkingGroupYear,
)

from . import engine, figures, matching, table
from .excerpt import excerpt, highlight, page_text
from .models import SearchPromotion, normalise
from .privacy import is_personal
from .query import Filters, apply, content_types, facets, in_scope, type_label

SUGGESTIONS = 8


def site_centre(site, request=None):
    """The centre whose site this is (None on the national portal)."""
    if site is None or site.is_default_site:
        return None
    return cached(
        f"site-centre:{site.pk}",
        lambda: (
            Centre.objects.select_related("home_page")
            .filter(home_page_id=site.root_page_id)
            .first()
        ),
        request,
    )


class Result:
    """One line of the results: the page, its type, centres, date and excerpt."""

    def __init__(self, page, query, date, centres: list[str], request=None, more=""):
        self.page = page
        # With the request, Wagtail reads the sites' root paths once per request (from
        # the request), not from the cache once per result.
        self.url = page.get_url(request)
        self.type = type_label(page.content_type_id)
        self.title = highlight(page.title, query)
        # What the page shows and its documents' text after its own prose: their
        # passage shows when only they matched.
        self.excerpt = excerpt(" ".join(filter(None, [page_text(page), more])), query)
        self.centres = centres  # names
        self.date = date
        self.upcoming = isinstance(page, EventPage) and page.state != "past"
        # A closed offer is found on purpose (its page stays reachable): its card says
        # it is closed and since when, as its page does.
        closed = isinstance(page, OfferPage) and page.is_closed
        self.closed_on = page.closing_date if closed else None


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
                .values_list(page_column, f"{centre}__name")
            )
            for pk, name in rows:
                names.setdefault(pk, []).append(name)
            names.update({pk: [] for pk in pks if pk not in names})
    # Sorted here: the database's collation would put "CRPVE" before "Cité Ressources".
    for centres in names.values():
        centres.sort(key=sort_key)
    others = [page for page in pages if page.pk not in names]
    if others:
        homes = cached(
            "search-centre-homes",
            lambda: list(
                Centre.objects.filter(home_page__isnull=False).values_list(
                    "home_page__path", "name"
                )
            ),
            request,
        )
        for page in others:
            names[page.pk] = [name for path, name in homes if page.path.startswith(path)]
    return names


def documents_texts(pages) -> dict[int, str]:
    """{page pk: the extracted text of its attached documents}, for the publications
    and events among `pages` (one query per relation and one for the texts)."""
    links = []
    for relation, model in ((PublicationDocument, PublicationPage), (EventDocument, EventPage)):
        pks = [page.pk for page in pages if isinstance(page, model)]
        if pks:
            links += relation.objects.filter(page_id__in=pks).values_list("page_id", "document_id")
    if not links:
        return {}
    texts = dict(
        DocumentText.objects.filter(
            document_id__in={document for _page, document in links},
            status=DocumentText.Status.DONE,
        ).values_list("document_id", "text")
    )
    found: dict[int, list[str]] = {}
    for page, document in links:
        if texts.get(document):
            found.setdefault(page, []).append(texts[document])
    return {page: " ".join(parts) for page, parts in found.items()}


def shown_texts(pages) -> dict[int, str]:
    """{page pk: what the page shows beyond its prose}: a working group's yearly
    activity and partners, an event's speakers (one query per relation), so that the
    excerpt shows the passage that matched ("Partenaires : ANRU")."""
    found: dict[int, list[str]] = {}
    groups = [page.pk for page in pages if isinstance(page, WorkingGroupPage)]
    if groups:
        for pk, *fields in WorkingGroupYear.objects.filter(page_id__in=groups).values_list(
            "page_id", "topics", "partners", "deliverables", "modalities"
        ):
            found.setdefault(pk, []).extend(" ".join(f.split()) for f in fields if f)
        for pk, name in Partner.working_groups.through.objects.filter(
            workinggrouppage_id__in=groups
        ).values_list("workinggrouppage_id", "partner__name"):
            found.setdefault(pk, []).append(name)
    events = [page.pk for page in pages if isinstance(page, EventPage)]
    if events:
        for pk, name, role in EventSpeaker.objects.filter(page_id__in=events).values_list(
            "page_id", "name", "role"
        ):
            found.setdefault(pk, []).append(f"{name} {role}".strip())
    return {pk: " ".join(parts) for pk, parts in found.items()}


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
    documents, shown = documents_texts(pages), shown_texts(pages)
    results = [
        Result(
            page,
            query,
            facts[page.pk],
            names[page.pk],
            request,
            " ".join(filter(None, [shown.get(page.pk), documents.get(page.pk)])),
        )
        for page in pages
    ]
    distinguish(results, query)
    return results


def cached_results(matches, ids, query, site, request):
    """`results_of`, built once per site, query and page of ids under the content
    version (and the language), for five minutes at most: an event's "à venir" changes
    with time alone. The results keep what the template shows, not their pages."""

    def build():
        results = results_of(matches, ids, query, request)
        for result in results:
            result.page = None
        return results

    return cached(results_key(site, query, ids), build, request, 300)


def results_key(site, query, ids) -> str:
    """The key of a page of results (before the content version): the bench's cold
    searches forget it (bench/management/commands/search_latency.py)."""
    digest = sha1(f"{query}\n{','.join(map(str, ids))}".encode()).hexdigest()
    return f"search-results:{site.pk if site else '-'}:{digest}"


def distinguish(results, query):
    """Results sharing a title ("Le centre" of several centres' sites) are told apart by
    their centre's name, or the network's for the national site's pages."""
    counts = Counter(result.page.title for result in results)
    for result in results:
        if counts[result.page.title] > 1:
            owner = ", ".join(result.centres) or _("réseau national")
            result.title = highlight(f"{result.page.title} — {owner}", query)


def ids_key(site, query, centre, version) -> str:
    digest = sha1(query.encode()).hexdigest()
    return (
        f"portal:v{version}:search-ids:{site.pk if site else '-'}:"
        f"{centre.pk if centre else '-'}:{digest}"
    )


def matched_ids(site, query, centre, request) -> matching.Found:
    """The pages in scope matching `query`, best first (`search.matching`); the search
    backend runs once per (site, scope, query) and content version. An answer from the
    database while the external server is down is not cached: the server is asked again
    once it is back."""
    key = ids_key(site, query, centre, content_version(request))
    value = cache.get(key)
    if value is None:
        listed = [ct.model_class() for ct in content_types().values()]
        current = table.current(request)
        value = matching.find(
            query,
            Page,
            only=listed,
            keep=lambda ids: current.matches(ids, centre).ids,
            request=request,
        )
        if value.backend == engine.EXTERNAL or not engine.external_configured():
            cache.set(key, value, TIMEOUT)
    return value


def results_page(matches, filters, number):
    """The page of results over the matched pages: in relevance order (the backend's)
    or the most recent first, kept by the filters, paginated; its object_list are ids."""
    kept = apply(matches, filters)
    return paginate(kept.by_date() if filters.sort == "date" else kept.ids, number)


def search(request):
    site = site_of(request)
    filters = Filters.from_query(request.GET)
    own_centre = site_centre(site, request)
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
        found = matched_ids(site, filters.q, centre, request)
        # Kept in this process's table again: cached ids may come from another process.
        scope = table.current(request).matches(found.ids)
        page = results_page(scope, filters, request.GET.get("page"))
        page.object_list = cached_results(scope, page.object_list, filters.q, site, request)
        # Facets are per search: keyed by the query and the filters, per site (scope).
        context["facets"] = cached_facets(
            "search-facets",
            site,
            replace(filters, found={}),
            lambda: facets(scope, filters),
            request,
            per_seconds=300,
        )
        context.update(results=page, backend=found.backend, found=found)
        if page.number == 1:
            context["promotions"] = promotions(site, filters.q, centre, request)
            # A query holding an e-mail address or a phone number is not kept.
            # Nor is the warm-up's request of a most searched query (portal.warmup).
            if (
                not request.GET.get("page")
                and not is_personal(request.GET.get("q"))
                and warmup.HEADER not in request.META
            ):
                # Only the closest results (no page with every word) count as a query
                # without results: the coordination reads those for missing words; with
                # a few pages holding every word, those are counted.
                count = page.paginator.count
                figures.record(
                    site, filters.q, min(count, found.complete) if found.partial else count
                )
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
