"""Layout and listing helpers shared by every site's templates."""

from urllib.parse import urlencode

from django import template

from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("portal/navigation.html", takes_context=True)
def site_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = context.get("page")
    if site is None:
        return {"root": None, "items": []}
    root = site.root_page
    items = list(root.get_children().live().public().in_menu().only("title", "url_path", "path"))
    for item in items:
        item.is_current = bool(current and current.path.startswith(item.path))
    return {"root": root, "items": items, "site": site, "request": request, "current": current}


@register.simple_tag
def filter_url(query, **changes):
    """The listing's query string with some filters changed (empty value removes)."""
    params = {**query, **changes}
    clean = {k: v for k, v in params.items() if v not in ("", None)}
    return "?" + urlencode(clean) if clean else "?"
