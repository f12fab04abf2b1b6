"""`{% registration_block page %}`: the registration form of an event or a cycle, with
"complet" and "inscriptions closes", on the agenda's pages (which know nothing of this
app: the template loads the tag when it is installed).

The places left are read on every request (they change with each registration); the
form's HTML is the same for every visitor until the opening, its sessions' states, the
profiles or the page change, so it is a fragment cached per content version (an
opening saved, a session filled or freed, a profile edited and a publication all renew
it), keyed by the sessions offered and their state. The opening's row is cached the
same way: a page with registrations open costs two queries more than without (the
opening on a cache miss, the seats taken always)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.cache import cached, cached_fragment, fragment_key

from .. import booking
from ..views import form_context

register = template.Library()


def form_html(block, request) -> str:
    form = block["form"]
    if form is None:
        return ""
    offered = "-".join(f"{s.event.pk}{s.state[0]}" for s in form.states)
    key = fragment_key(
        request,
        "registration-form",
        block["opening"].pk,
        int(block["cycle"]),
        int(block["all_waiting"]),
        offered,
    )
    return mark_safe(  # noqa: S308 (the form template's own output)
        cached_fragment(
            key, lambda: render_to_string("registrations/form.html", block, request), request
        )
    )


@register.inclusion_tag("registrations/block.html", takes_context=True)
def registration_block(context, page):
    request = context.get("request")
    if not booking.opening_paths(request).intersection([page.path, page.path[: -page.steplen]]):
        return {"opening": None}  # no opening here: no query, no cache entry read
    # The opening's row, cached per content version too: saving or deleting an opening
    # renews it (registrations.signals), and nothing shown here changes otherwise.
    opening = cached(
        f"registrations:opening-of:{page.path}", lambda: booking.opening_for(page), request
    )
    if opening is None:
        return {"opening": None}
    if opening.page_id == page.pk:
        # The page being served: its specific row is known, no second query for it.
        opening.page = page
    states = booking.states(opening)
    if all(s.event.state != "upcoming" for s in states):  # agenda's own reading
        # Every session has started: the page says the event is past, a box saying
        # "Inscriptions closes" would only be noise (the figures are in the admin).
        return {"opening": None}
    block = form_context(opening, states)
    block["here"] = page
    block["form_html"] = form_html(block, request)
    return block
