"""The national front page's selection, rendered where the home page's template asks for
it: the home app knows nothing of the showcase, which builds on the content apps."""

from django import template

from ..front_page import showcase_sections

register = template.Library()


@register.inclusion_tag("showcase/includes/front_page.html", takes_context=True)
def showcase_front_page(context):
    # `pageurl` in the cards needs the request to write site-relative links.
    return {"request": context.get("request"), **showcase_sections(context["page"])}
