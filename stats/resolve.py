"""Which live page of a site did a beacon's URL show? Only published pages of the
requesting site count, at their own address (or a sub-route of a routable page, or a
route of the project's own such as /evenement/<slug> that serves the page by slug)."""

from django.conf import settings
from django.urls import Resolver404, resolve

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

from portal.i18n import strip_language


def site_root_url_path(site_id: int, language: str | None = None) -> str | None:
    """From Wagtail's cached list of site roots: no query. A site has one root per
    language it is translated to (the French home page, its English translation)."""
    language = language or settings.LANGUAGE_CODE
    for root in Site.get_site_root_paths():
        if root.site_id == site_id and root.language_code == language:
            return root.root_path
    return None


def _served_by_slug(path: str, page) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve" and match.kwargs.get("slug") == page.slug


def _own_route(page, rest: str) -> bool:
    """True if `rest` (what follows the page's own address) is a route the page answers
    itself (a routable page's feeds...), written as Wagtail serves it: any other text
    under the page is no page view (it was counted as one)."""
    model = page.specific_class or Page
    if not issubclass(model, RoutablePageMixin):
        return False
    components = rest.split("/")
    if components[-1] != "" or "" in components[:-1]:
        return False  # Wagtail's addresses end with one slash, with no empty part
    try:
        model.get_resolver().resolve("/" + rest)
    except Resolver404:
        return False
    return True


def live_page(site: Site, path: str, page_id=None):
    # /en/... is the English tree of the site (portal.i18n), under its own root.
    language, path = strip_language(path)
    root = site_root_url_path(site.pk, language)
    if root is None:
        return None
    if page_id is not None:
        page = (
            Page.objects.live()
            .filter(pk=page_id)
            .only("id", "url_path", "slug", "content_type")
            .first()
        )
        if page is None:
            return None
        if page.url_path.startswith(root):
            own = "/" + page.url_path[len(root) :]
            if path == own or (path.startswith(own) and _own_route(page, path[len(own) :])):
                return page
        return page if _served_by_slug(path, page) else None
    # Without a page id: the page at that address (slug is indexed, url_path is not).
    url_path = root + path.strip("/") + "/" if path.strip("/") else root
    slug = url_path.rstrip("/").rsplit("/", 1)[-1]
    return Page.objects.live().filter(slug=slug, url_path=url_path).only("id", "url_path").first()
