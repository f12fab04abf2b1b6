"""`{% cover page "card" %}`: a page's cover image (portal.covers) in one of the
portal's styles, or nothing when the page has none. `{% cover_image image alt "banner" %}`
does the same for an image that is not a page's cover (a site's banner)."""

from django import template

from portal.covers import Cover, picture

register = template.Library()


@register.inclusion_tag("portal/includes/cover.html")
def cover(page, style="card", css_class=""):
    found = getattr(page, "cover", None) if page is not None else None
    return {"picture": picture(found, style) if found else None, "css_class": css_class}


@register.inclusion_tag("portal/includes/cover.html")
def cover_image(image, alt, style, css_class=""):
    found = Cover(image, alt or "") if image is not None else None
    return {"picture": picture(found, style) if found else None, "css_class": css_class}
