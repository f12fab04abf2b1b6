"""The benchmark's baseline: a Wagtail page with nothing of the portal's own."""

from wagtail.models import Page


class BarePage(Page):
    """A bare Wagtail page: no extra field, no context, a template with just the title.
    Served by the same stack as the portal (middleware, site lookup, page routing), so
    the ratio of a portal page's figures to this one's is the cost of the portal's own
    work on that page."""

    template = "bench/bare_page.html"
    parent_page_types = ["wagtailcore.Page", "home.NationalHomePage"]
    subpage_types: list[str] = []
