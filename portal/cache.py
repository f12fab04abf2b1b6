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


def cached(key: str, build, request=None, timeout=TIMEOUT):
    """`build()`'s value, cached under `key` for the current content version."""
    full_key = f"portal:v{content_version(request)}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    return value


def connect_signals():
    from django.db.models.signals import post_delete, post_save

    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from centres.models import SiteIdentity

    page_published.connect(bump_content_version, dispatch_uid="portal-version-published")
    page_unpublished.connect(bump_content_version, dispatch_uid="portal-version-unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="portal-version-moved")
    post_delete.connect(bump_content_version, sender=Page, dispatch_uid="portal-version-deleted")
    for model in (SiteIdentity, Site):
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"portal-version-{model.__name__}")
        post_delete.connect(bump_content_version, sender=model,
                            dispatch_uid=f"portal-version-{model.__name__}-deleted")


def cached_facets(name: str, listing_page, filters, build, request, *, per_seconds=None):
    """Facet counts of a listing, cached per listing page, filters and content version
    (and per time slice where counts drift with time, e.g. upcoming events). Labels are
    materialised so that the result can be pickled by any cache backend."""
    import time
    from dataclasses import astuple
    from hashlib import sha1

    slice_ = int(time.time() // per_seconds) if per_seconds else 0
    digest = sha1(repr(astuple(filters)).encode()).hexdigest()  # same in every process
    key = f"{name}:{listing_page.pk}:{slice_}:{digest}"

    def materialised():
        facets = build()
        for facet in facets:
            facet.label = str(facet.label)
            for option in facet.options:
                option.label = str(option.label)
        return facets

    return cached(key, materialised, request)
