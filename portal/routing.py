"""Page routing remembered per content version.

Wagtail finds a page by walking its URL from the site's root, two queries per level (the
child, then its specific row): five for an event at `/agenda/<slug>/`. Which page a path
leads to only changes when a page is published, unpublished, moved or deleted, or a
site changes, all of which bump the content version (`portal.cache`). So once Wagtail
has routed a path to a page in the ordinary way, the page's id and type are cached under
the version, and the next request for that path fetches the page in one query.

A remembered route also says whether any view restriction applies to the page (its own,
an ancestor's, or an alias source's): when none does, Wagtail's restriction check gets
an empty list instead of asking the database twice. Adding, changing or removing a
restriction bumps the content version (`portal.cache.connect_signals`), so a remembered
"no restriction" never outlives the restriction's arrival.

The request's site is remembered too, per host and port, under the content version
(which every site change bumps), where Wagtail's `Site.find_for_request` looks first:
for pages only (Wagtail's serve view), which read the database anyway, so that the
health check and the other paths that must answer without the database never ask.

Only "natural" routes are remembered: the page served as itself (no sub-route of a
routable page: calendars, feeds) at the address its tree position gives it. Anything
else (an alternative address such as `/evenement/<slug>`, a 404, another method than
GET/HEAD) is routed by Wagtail every time, with its rules unchanged. Serving still goes
through Wagtail's view, so view restrictions, `before_serve_page` hooks and the page's
own `serve()` apply as before.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port

from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from .cache import TIMEOUT, content_version, versioned_key


def route_key(request, site, path: str) -> str:
    # Keyed by language too: with translations, one path leads to a page per locale's tree.
    return versioned_key(f"route:{site.pk}:{path}", request)


def is_natural(request, route, site, path: str) -> bool:
    """The route reached the page at its tree address, and the page's own route of an
    empty remainder gives the same result (a routable page's index view, e.g. an event
    whose `ical/` is a sub-route, counts; its sub-routes never reach here)."""
    page, args, kwargs = route
    if page.url_path != site.root_page.localized.url_path + path:
        return False
    try:
        own = page.route(request, [])
    except Http404:
        return False
    return (list(own[1]), own[2]) == (list(args), kwargs)


def cached_route(request, key):
    """The route to the page the key remembers, fetched with its specific fields in one
    query; None if nothing is remembered or the page is gone (then Wagtail routes as
    usual)."""
    remembered = cache.get(key)
    if remembered is None:
        return None
    page_id, content_type_id, unrestricted = remembered
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    page = model.objects.filter(pk=page_id, live=True).first()
    if page is None:
        return None
    if unrestricted:
        # UPGRADE CHECKPOINT wagtail==8.0.1: Wagtail's `check_view_restrictions` hook iterates `page.get_view_restrictions()` (tests/test_routing_cache.py::test_an_unrestricted_remembered_page_skips_the_restriction_queries)
        page.get_view_restrictions = no_restrictions
    try:
        return page.route(request, [])
    except Http404:
        return None


def no_restrictions():
    return ()


def remembered_route(page):
    """What the route cache keeps of a page: id, type, and whether no view restriction
    applies (Wagtail's own test, aliases included, asked once)."""
    return (page.pk, page.content_type_id, not page.get_view_restrictions().exists())


class RouteCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # UPGRADE CHECKPOINT wagtail==8.0.1: `wagtail.views.serve` is the view Wagtail's URLs resolve pages to (tests/test_perf_queries.py::test_warm_requests_cost_a_fixed_number_of_queries)
        if view_func is not wagtail_views.serve or request.method not in ("GET", "HEAD"):
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        site = site_of(request)
        if site is None:
            return None
        key = route_key(request, site, path)
        route = cached_route(request, key)
        if route is not None:
            # Wagtail's serve view reads the route from here (Page.route_for_request).
            # UPGRADE CHECKPOINT wagtail==8.0.1: `request._wagtail_route_for_request`, read by `Page.route_for_request` in the serve view (tests/test_perf_queries.py::test_warm_requests_cost_a_fixed_number_of_queries)
            request._wagtail_route_for_request = route
            return None
        route = Page.route_for_request(request, path)
        if route is not None and is_natural(request, route, site, path):
            cache.set(key, remembered_route(route[0]), TIMEOUT)
        return None


def site_of(request):
    """`Site.find_for_request(request)` through the remembered site: for views that read
    the database anyway (pages, search), never for the health check."""
    # UPGRADE CHECKPOINT wagtail==8.0.1: `request._wagtail_site`, the site `Site.find_for_request` cached on the request (tests/test_routing_cache.py::test_each_host_gets_its_own_remembered_site)
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = cached_site(request)
    return request._wagtail_site


def cached_site(request):
    """Wagtail's site for this request's host and port, remembered under the content
    version; None when no site answers (as Wagtail gives)."""
    # UPGRADE CHECKPOINT wagtail==8.0.1: `Site._find_for_request` reads the raw host and the port (tests/test_routing_cache.py::test_each_host_gets_its_own_remembered_site)
    hostname = split_domain_port(request._get_raw_host())[0]
    # Not `versioned_key`: the site does not depend on the language.
    key = f"portal:v{content_version(request)}:site:{hostname}:{request.get_port()}"
    found = cache.get(key)
    if found is None:
        # UPGRADE CHECKPOINT wagtail==8.0.1: `Site._find_for_request` reads the raw host and the port (tests/test_routing_cache.py::test_each_host_gets_its_own_remembered_site)
        found = (Site._find_for_request(request),)
        cache.set(key, found, TIMEOUT)
    return found[0]
