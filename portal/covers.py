"""Cover images of pages (events, publications, news) and sites' banners, shown the
same way everywhere through one template tag, `{% cover page "card" %}`
(`portal/templatetags/cover_tags.py`).

A page type that has a cover answers `page.cover`: a `Cover` (the image, its alternative
text and its shape) or None. What a style renders: a `<picture>` with AVIF and WebP
sources and a JPEG `<img>` (every browser), each a `srcset` of widths for the browser to
choose from `sizes`, `width`/`height` set from the rendition (no layout shift), and lazy
loading below the fold.

Alternative text lives on the page, not on the image: it is written for the page's
context and translated with the page (wagtail-localize), so an English page never shows
a French text as `lang="en"`. It is required as soon as an image is chosen; when the
image's own description (Wagtail's "description", its default alt text) is filled in,
the page takes it as its default (`clean_cover_alt`).

Listings fetch their covers with their items: `cover_lookups(model)` names what to
select and prefetch (the image and all its renditions: one query per listing, whatever
the number of cards) and `prefetch_covers(pages)` does it for an already fetched list
of pages of mixed types (the national front page)."""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("portal.covers")


@dataclass(frozen=True)
class Style:
    widths: tuple[int, ...]
    # Height over width (renditions are cropped around the image's focal point), or
    # None to keep the image's own proportions (`max-`: logos).
    ratio: tuple[int, int] | None
    sizes: str
    lazy: bool = True


# Portrait covers (a publication's cover or its document's first page) have styles of
# their own, chosen when the cover says so (`Cover.portrait`).
STYLES = {
    # A card's image spans the card: a third of the 72 rem column on a wide screen,
    # half of it on a tablet, the screen's width on a phone.
    "card": Style((400, 800), (16, 9), "(min-width: 62rem) 24rem, (min-width: 36rem) 50vw, 100vw"),
    "card-portrait": Style((120, 240), (3, 4), "7.5rem"),
    # A page's head: the text column (48 rem at most). Not lazy: it is in the first
    # screen, often its largest image (loading it lazily would delay it).
    "head": Style((480, 960), (16, 9), "(min-width: 50rem) 48rem, 100vw", lazy=False),
    "head-portrait": Style((240, 480), (3, 4), "15rem", lazy=False),
    # A centre's banner across the page's width under the header.
    "banner": Style((720, 1440), (4, 1), "(min-width: 72rem) 70rem, 100vw", lazy=False),
}
# Best first: the browser takes the first source it reads; the <img> is the fallback.
SOURCE_FORMATS = (("avif", "image/avif"), ("webp", "image/webp"))
FALLBACK_FORMAT = "jpeg"


@dataclass(frozen=True)
class Cover:
    image: object  # a wagtailimages Image
    alt: str
    portrait: bool = False


def cover_from(image, alt: str, *, portrait=False) -> Cover | None:
    if image is None:
        return None
    # A page saved without the text (an import, a script) still has one.
    return Cover(image, alt or image.default_alt_text, portrait)


def clean_cover_alt(page, image_field: str, alt_field: str) -> None:
    """For a page's `clean()`: an image needs its alternative text. The image's own
    description, when it has one, is taken as the default."""
    image = getattr(page, image_field)
    if image is None or getattr(page, alt_field).strip():
        return
    if (image.description or "").strip():
        setattr(page, alt_field, image.description.strip())
        return
    raise ValidationError(
        {
            alt_field: _(
                "Décrivez l’image pour les personnes qui ne la voient pas "
                "(texte alternatif), ou retirez l’image."
            )
        }
    )


def spec(style: Style, width: int, fmt: str) -> str:
    if style.ratio is None:
        size = f"max-{width}x{width}"
    else:
        size = f"fill-{width}x{width * style.ratio[1] // style.ratio[0]}"
    return f"{size}|format-{fmt}"


def picture(cover: Cover, style_name: str) -> dict | None:
    """What `portal/includes/cover.html` renders: the sources' srcsets and the
    fallback `<img>`, from renditions fetched (or made) in one call."""
    name = (
        f"{style_name}-portrait"
        if cover.portrait and f"{style_name}-portrait" in STYLES
        else style_name
    )
    style = STYLES[name]
    formats = [fmt for fmt, _mime in SOURCE_FORMATS] + [FALLBACK_FORMAT]
    specs = [spec(style, width, fmt) for fmt in formats for width in style.widths]
    try:
        renditions = cover.image.get_renditions(*specs)
    except OSError as error:  # Wagtail's SourceImageIOError: the file is missing or unreadable
        # The page without its image rather than an error page (as Wagtail's own
        # `{% image %}` tag does, with a placeholder).
        logger.warning("image %s: no rendition: %r", cover.image.pk, error)
        return None

    def srcset(fmt):
        items = []
        seen = set()
        for width in style.widths:
            rendition = renditions[spec(style, width, fmt)]
            # A small original gives the same rendition for several widths: listed once.
            if rendition.width not in seen:
                seen.add(rendition.width)
                items.append(f"{rendition.url} {rendition.width}w")
        return ", ".join(items)

    fallback = renditions[spec(style, style.widths[0], FALLBACK_FORMAT)]
    return {
        "sources": [(mime, srcset(fmt)) for fmt, mime in SOURCE_FORMATS],
        "srcset": srcset(FALLBACK_FORMAT),
        "src": fallback.url,
        "width": fallback.width,
        "height": fallback.height,
        "sizes": style.sizes,
        "alt": cover.alt,
        "lazy": style.lazy,
        "style": name,
    }


def cover_lookups(model) -> tuple[list[str], list]:
    """(select_related, prefetch_related) lookups that fetch the covers of a queryset
    of `model` with it: the image joined, its renditions in one query."""
    prefetch = getattr(model, "cover_prefetch", [])
    if callable(prefetch):  # built when first asked: it may name models defined later
        prefetch = prefetch()
    return list(getattr(model, "cover_select", [])), list(prefetch)


def with_covers(queryset):
    select, prefetch = cover_lookups(queryset.model)
    return queryset.select_related(*select).prefetch_related(*prefetch)


def prefetch_covers(pages) -> None:
    """The covers of already fetched pages of any types: one set of queries per type,
    whatever the number of pages."""
    by_type = defaultdict(list)
    for page in pages:
        by_type[type(page)].append(page)
    for model, group in by_type.items():
        select, prefetch = cover_lookups(model)
        if select or prefetch:
            prefetch_related_objects(group, *select, *prefetch)
