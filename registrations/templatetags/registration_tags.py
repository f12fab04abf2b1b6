"""`{% registration_block page %}`: the registration form of an event or a cycle, with
"complet" and "inscriptions closes", on the agenda's pages (which know nothing of this
app: the template loads the tag when it is installed)."""

from django import template

from .. import booking
from ..views import form_context

register = template.Library()


@register.inclusion_tag("registrations/block.html", takes_context=True)
def registration_block(context, page):
    opening = booking.opening_for(page, context.get("request"))
    if opening is None:
        return {"opening": None}
    block = form_context(opening, booking.states(opening))
    block["here"] = page
    return block
