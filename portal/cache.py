"""Caching keyed by the content version (see `portal.models.ContentVersion`).

Publishing, unpublishing, moving or deleting any page, or changing a site's identity
settings, bumps the version: every cached layout fragment and facet count keyed by it
is then out of use, with no list of keys to purge."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from . import warmup
from .models import ContentVersion, SiteContentVersion

TIMEOUT = 15 * 60
# The versions, as every process reads them: one cache entry, read with a cached page in
# the same round trip (portal.middleware), instead of a query per request.
VERSIONS_KEY = "portal:versions"


def versions_seconds() -> float:
    """How long the versions entry lives in the cache. A change deletes it at once (and
    again at the commit) from the shared cache, so this only bounds how long a process
    with a per-process cache (LocMemCache: development) or a reader that raced a commit
    may keep an older version."""
    return getattr(settings, "CONTENT_VERSION_SECONDS", 1)


def load_versions() -> dict:
    """{"content": the content version, "sites": {site id: that site's version}}, from
    the database (two small queries: once per CONTENT_VERSION_SECONDS, not per request)."""
    content = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
    sites = dict(SiteContentVersion.objects.values_list("site_id", "value"))
    return {"content": content, "sites": sites}


def versions(request=None, cached_value=None) -> dict:
    """The current versions, once per request: `cached_value` when the caller read the
    versions entry itself (the page cache reads it with the page), else from the cache,
    else from the database (then put in the cache for the other processes)."""
    if request is not None:
        held = getattr(request, "_portal_versions", None)
        if held is not None:
            return held
    value = cached_value if cached_value is not None else cache.get(VERSIONS_KEY)
    if value is None:
        value = load_versions()
        cache.add(VERSIONS_KEY, value, versions_seconds())
    if request is not None:
        request._portal_versions = value
    return value


def content_version(request=None) -> int:
    """The current content version, read once per request."""
    return versions(request)["content"]


def site_version(site_id, request=None) -> int:
    return versions(request)["sites"].get(site_id, 0)


def forget_versions():
    cache.delete(VERSIONS_KEY)


def bump_content_version(*, sites=None, **kwargs):
    """A new content version; `sites`: the ids of the sites whose pages show the change
    (None: every site). The versions entry is deleted now (this process, and readers of
    the shared cache, see the change at their next request) and again once the change
    is committed: a process that read the versions before the commit may have put the
    older ones back meanwhile."""
    if not ContentVersion.objects.filter(pk=1).update(value=F("value") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"value": 1})
    bump_sites(sites)
    forget_versions()
    transaction.on_commit(forget_versions)
    # Then what the next visitor would pay for is rebuilt off the request path.
    transaction.on_commit(lambda: warmup.start(sites))


def bump_sites(site_ids=None):
    from wagtail.models import Site

    rows = SiteContentVersion.objects.all()
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    rows.update(value=F("value") + 1)
    wanted = set(Site.objects.values_list("pk", flat=True) if site_ids is None else site_ids)
    missing = wanted - set(rows.values_list("site_id", flat=True))
    if missing:
        SiteContentVersion.objects.bulk_create(
            [SiteContentVersion(site_id=pk, value=1) for pk in missing], ignore_conflicts=True
        )


# Functions an app registers to say which other sites show a page (centres: the sites of
# the centres an event or a publication names); each returns site ids, or None for all.
_page_site_finders = []


def register_page_sites(finder) -> None:
    if finder not in _page_site_finders:
        _page_site_finders.append(finder)


def sites_showing(page):
    """The ids of the sites whose pages may show `page`: its own site, the national
    portal (content flows up) and what the registered finders add; None (every site)
    for a page outside every site's tree (e.g. a translation's tree)."""
    from wagtail.models import Site

    roots = list(Site.objects.values_list("pk", "root_page__path", "is_default_site"))
    own = {pk for pk, path, _default in roots if page.path.startswith(path)}
    if not own:
        return None
    ids = own | {pk for pk, _path, default in roots if default}
    for finder in _page_site_finders:
        more = finder(page)
        if more is None:
            return None
        ids |= set(more)
    return ids


def page_changed(sender=None, instance=None, **kwargs):
    """A page published or unpublished: a new version for the sites that show it."""
    sites = sites_showing(instance) if instance is not None else None
    bump_content_version(sites=sites)


def versioned_key(key: str, request=None) -> str:
    """The cache key of `key` under the current content version and the active language
    (an English page never gets a French fragment, nor the reverse)."""
    from django.utils.translation import get_language

    return f"portal:v{content_version(request)}:{get_language() or '-'}:{key}"


def cached(key: str, build, request=None, timeout=TIMEOUT):
    """`build()`'s value, cached under `key` for the current content version and the
    active language. `timeout` may be a function of the value built: how long what it
    shows stays true (e.g. until the first event it lists is over)."""
    full_key = versioned_key(key, request)
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout(value) if callable(timeout) else timeout)
    return value


def fragment_key(request, *parts) -> str | None:
    """A key for a fragment of a page under the current content version (used with the
    `cached_fragment` tag), or None where nothing may be cached: a preview shows a draft,
    which must never be served from, nor stored in, the live page's fragment."""
    if request is None or getattr(request, "is_preview", False):
        return None
    # UPGRADE CHECKPOINT wagtail==8.0.1: `request._wagtail_site`, the site `Site.find_for_request` cached on the request (tests/test_upgrade_internals.py::test_each_site_caches_its_own_event_links)
    site = getattr(request, "_wagtail_site", None)
    return ":".join(str(part) for part in (site.pk if site else "-", *parts))


def cached_fragment(key: str | None, render, request, timeout=TIMEOUT) -> str:
    """`render()`'s HTML (or any value a part of a page shows), cached under `key` for
    the current content version; rendered afresh when `key` is None (a preview)."""
    if key is None:
        return render()
    return cached(f"fragment:{key}", render, request, timeout)


def bump_on_change(model):
    """Bump the version whenever a `model` row is saved or deleted (a snippet whose
    names cached fragments show: an app calls it for its own, e.g. event formats)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(
        bump_content_version, sender=model, dispatch_uid=f"portal-version-{model._meta.label}"
    )
    post_delete.connect(
        bump_content_version,
        sender=model,
        dispatch_uid=f"portal-version-{model._meta.label}-deleted",
    )


def connect_signals():
    from django.db.models.signals import post_delete

    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from taggit.models import Tag

    page_published.connect(page_changed, dispatch_uid="portal-version-published")
    page_unpublished.connect(page_changed, dispatch_uid="portal-version-unpublished")
    # A move or a deletion changes addresses on more than one site: every site.
    post_page_move.connect(bump_content_version, dispatch_uid="portal-version-moved")
    post_delete.connect(bump_content_version, sender=Page, dispatch_uid="portal-version-deleted")
    # Names shown in cached fragments too (themes). Centres are left out: a new or
    # renamed centre shows in cached cards at the next publication (or 15 minutes).
    # Each site's identity settings are bumped by the centres app (centres.apps).
    # A view restriction: remembered routes say whether one applies (portal.routing).
    for model in (Site, Tag, PageViewRestriction):
        bump_on_change(model)


def listing_key(name: str, listing_page, filters, *, per_seconds=None) -> str:
    """A key for what a listing computes from its filters: per listing page, filters
    (a dataclass) and, where results drift with time (upcoming events), time slice."""
    import time
    from dataclasses import astuple
    from hashlib import sha1

    slice_ = int(time.time() // per_seconds) if per_seconds else 0
    digest = sha1(repr(astuple(filters)).encode()).hexdigest()  # same in every process
    return f"{name}:{listing_page.pk}:{slice_}:{digest}"


def cached_facets(name: str, listing_page, filters, build, request, *, per_seconds=None):
    """Facet counts of a listing, cached per listing page, filters and content version
    (and per time slice where counts drift with time, e.g. upcoming events). Labels are
    materialised so that the result can be pickled by any cache backend."""
    key = listing_key(name, listing_page, filters, per_seconds=per_seconds)

    def materialised():
        facets = build()
        for facet in facets:
            facet.label = str(facet.label)
            for option in facet.options:
                option.label = str(option.label)
        return facets

    return cached(key, materialised, request)
