"""The national front page's selection, rendered where the home page's template asks for
it: the home app knows nothing of the showcase, which builds on the content apps.

The rendered selection is cached under the content version (which a publication, an
unpublication or a decision bumps: showcase.apps) until the first of its items would
change with time alone: a feature's last day over, a shown event over."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from portal.cache import TIMEOUT, cached_fragment, fragment_key

from ..front_page import showcase_sections

register = template.Library()

TEMPLATE = "showcase/includes/front_page.html"


def seconds_valid(sections, now) -> int:
    """How long the selection stays as it is: until the first shown feature or event
    ends (at least a second, at most the cache's usual lifetime)."""
    ends = [item.proposal.featured_until for item in sections["featured"]]
    for _section, items in sections["latest"]:
        ends += [getattr(item.page, "ends_at", None) for item in items]
    ends += [item.page.ends_at for item in sections["network_events"]]
    seconds = [(end - now).total_seconds() for end in ends if end is not None]
    return max(1, int(min([TIMEOUT, *seconds])))


@register.simple_tag(takes_context=True)
def showcase_front_page(context):
    request = context.get("request")
    page = context["page"]
    now = timezone.now()
    valid = {}

    def render():
        sections = showcase_sections(page, now)
        valid["seconds"] = seconds_valid(sections, now)
        # `pageurl` in the cards needs the request to write site-relative links.
        return render_to_string(TEMPLATE, {"request": request, **sections}, request=request)

    key = fragment_key(request, "front-page", page.pk)
    return mark_safe(cached_fragment(key, render, request, lambda _html: valid["seconds"]))
