"""Caching keyed by the content version (see `portal.models.ContentVersion`).

Publishing, unpublishing, moving or deleting any page, or changing a site's identity
settings, bumps the version: every cached layout fragment and facet count keyed by it
is then out of use, with no list of keys to purge."""

from django.core.cache import cache
from django.db.models import F

from .models import ContentVersion

TIMEOUT = 15 * 60


def content_version(request=None) -> int:
    """The current version, read once per request."""
    if request is not None and hasattr(request, "_content_version"):
        return request._content_version
    value = ContentVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0
    if request is not None:
        request._content_version = value
    return value


def bump_content_version(**kwargs):
    if not ContentVersion.objects.filter(pk=1).update(value=F("value") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def versioned_key(key: str, request=None) -> str:
    """The cache key of `key` under the current content version and the active language
    (an English page never gets a French fragment, nor the reverse)."""
    from django.utils.translation import get_language

    return f"portal:v{content_version(request)}:{get_language() or '-'}:{key}"


def cached(key: str, build, request=None, timeout=TIMEOUT):
    """`build()`'s value, cached under `key` for the current content version and the
    active language."""
    full_key = versioned_key(key, request)
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
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


def cached_fragment(key: str | None, render, request) -> str:
    """`render()`'s HTML, cached under `key` for the current content version; rendered
    afresh when `key` is None."""
    if key is None:
        return render()
    return cached(f"fragment:{key}", render, request)


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

    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from taggit.models import Tag

    page_published.connect(bump_content_version, dispatch_uid="portal-version-published")
    page_unpublished.connect(bump_content_version, dispatch_uid="portal-version-unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="portal-version-moved")
    post_delete.connect(bump_content_version, sender=Page, dispatch_uid="portal-version-deleted")
    # Names shown in cached fragments too (themes). Centres are left out: a new or
    # renamed centre shows in cached cards at the next publication (or 15 minutes).
    # Each site's identity settings are bumped by the centres app (centres.apps).
    for model in (Site, Tag):
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
