"""Open Graph and Twitter card tags of every public page: its title, a description (the
editor's search description, else the page's own summary or introduction, else the
site's), its image (the page's own where it has one, else the site's logo, else the
portal's default picture) as a 1200×630 rendition, and its breadcrumbs. Both are cached
per page, language and content version: a warm page reads no rendition."""

import logging

from django import template
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import cache

logger = logging.getLogger(__name__)
register = template.Library()

# The fields a page type may keep its picture in, first found wins.
IMAGE_FIELDS = ("image", "cover_image", "cover", "banner")
# The fields a page type may keep its summary in.
TEXT_FIELDS = ("summary", "introduction", "intro", "description")
DEFAULT_IMAGE = "img/og-default.png"
# Open Graph's recommended size; JPEG, which every network's crawler reads.
SHARING_SPEC = "fill-1200x630|format-jpeg"


def page_image(page):
    """The page's picture and the page's own alternative text for it: its cover
    (portal.covers: events, publications, news, offers) where it has one, else the first
    image field found (with no text of the page's)."""
    cover = getattr(page, "cover", None)
    if getattr(cover, "image", None) is not None:
        return cover.image, cover.alt
    for name in IMAGE_FIELDS:
        image = getattr(page, name, None)
        if image is not None and hasattr(image, "get_rendition"):
            return image, ""
    return None, ""


def page_description(page, identity, site_name) -> str:
    if getattr(page, "search_description", ""):
        return page.search_description
    for name in TEXT_FIELDS:
        value = getattr(page, name, "")
        if isinstance(value, str) and value.strip():
            return Truncator(strip_tags(value).strip()).chars(200)
    tagline = getattr(identity, "tagline", "") if identity is not None else ""
    if tagline:
        return f"{site_name} — {tagline}"
    return _("%(site)s, sur le portail des centres de ressources politique de la ville.") % {
        "site": site_name
    }


def absolute(request, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url) if request is not None else url


def _social(context, page):
    request = context.get("request")
    # The site's identity (centres.SiteIdentity) through Wagtail's settings proxy: portal
    # does not import the centres app.
    proxy = context.get("settings")
    identity = proxy["centres"]["SiteIdentity"] if proxy is not None else None
    site = context.get("current_site")
    site_name = context.get("site_name") or (site.site_name if site else "")
    description = page_description(page, identity, site_name)
    image, page_alt = page_image(page)
    if image is None and identity is not None and identity.logo_id:
        image = identity.logo
    rendition = None
    if image is not None:
        try:
            rendition = image.get_rendition(SHARING_SPEC)
        except OSError as error:  # Wagtail's SourceImageIOError: the file is missing
            logger.warning("image %s: no sharing rendition: %r", image.pk, error)
    if rendition is not None:
        image_url = absolute(request, rendition.url)
        width, height = rendition.width, rendition.height
        alt = page_alt or getattr(image, "default_alt_text", "") or image.title
        large = True
    else:
        image_url = absolute(request, static(DEFAULT_IMAGE))
        width, height = 1200, 630
        alt = _("Réseau national des centres de ressources politique de la ville")
        large = True
    title = page.seo_title or page.title
    return {
        "title": title,
        "description": description,
        "url": page.full_url or "",
        "site_name": site_name,
        "type": "website" if page.depth <= 2 else "article",
        "locale": "en_GB" if get_language() == "en" else "fr_FR",
        "image": image_url,
        "image_width": width,
        "image_height": height,
        "image_alt": alt,
        "card": "summary_large_image" if large else "summary",
    }


@register.inclusion_tag("portal/includes/social_meta.html", takes_context=True)
def social_meta(context, page):
    """`{% social_meta page %}` in the head of base.html."""
    if page is None or not getattr(page, "pk", None):
        return {"meta": None}
    request = context.get("request")
    key = cache.fragment_key(request, "social", page.pk, getattr(page, "revision_id", ""))
    if key is None:
        return {"meta": _social(context, page)}
    return {"meta": cache.cached(f"social:{key}", lambda: _social(context, page), request)}


@register.inclusion_tag("portal/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    """`{% breadcrumbs page %}`: the page's ancestors from its site's home, as links."""
    request = context.get("request")
    site = context.get("current_site")
    if page is None or site is None or not getattr(page, "pk", None):
        return {"trail": []}

    def trail():
        from portal import i18n

        # Site roots are national and centre home pages, at depth 2 (the tree's root is 1).
        root_depth = 2
        if page.depth <= root_depth:
            return []
        ancestors = (
            page.get_ancestors()
            .filter(depth__gte=root_depth)
            .only("title", "url_path", "path", "depth", "locale_id", "translation_key")
        )
        items = [(a.get_url(request), a.title) for a in i18n.localized_many(list(ancestors))]
        if items:
            items[0] = (items[0][0], _("Accueil"))
        return items

    key = cache.fragment_key(request, "breadcrumbs", page.pk)
    items = trail() if key is None else cache.cached(f"crumbs:{key}", trail, request)
    return {"trail": items, "title": page.title}
