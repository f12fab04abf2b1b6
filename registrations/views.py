"""Public pages: the registration form's answer (`POST /inscription/<opening>/`, the
form itself is on the event's page), and the personal link to cancel and erase.

No CSRF token, as the newsletter's forms: event pages are cached for anonymous visitors
and set no cookie; a forged registration costs its author a place held for an address
that receives the cancellation link. Abuse: a honeypot field and rate limits."""

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from agenda.models import EventSeriesPage

from . import booking, limits
from .forms import RegistrationForm, consent_text
from .models import Opening, Registrant
from .tokens import read_cancel


def form_context(opening, states, form=None):
    page = opening.page.specific
    cycle = isinstance(page, EventSeriesPage)
    form = form or RegistrationForm(opening=opening, states=states, cycle=cycle)
    available = [s for s in states if s.state in ("open", "waiting")]
    return {
        "opening": opening,
        "page": page,
        "cycle": cycle,
        "states": states,
        "form": form if available else None,
        "all_waiting": bool(available) and all(s.state == "waiting" for s in available),
        "all_closed": all(s.state == "closed" for s in states),
        "all_full": bool(states) and all(s.state in ("full", "closed") for s in states),
        "consent": consent_text(),
    }


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def register_view(request, opening_id):
    opening = get_object_or_404(Opening.objects.select_related("page"), pk=opening_id)
    if not opening.page.live:
        raise Http404
    states = booking.states(opening)
    context = form_context(opening, states)
    if request.method == "GET" or context["form"] is None:
        return render(request, "registrations/register.html", context)
    if not limits.allow_client(request):
        return render(request, "registrations/too_many.html", status=429)
    form = RegistrationForm(request.POST, opening=opening, states=states, cycle=context["cycle"])
    if not form.is_valid():
        context["form"] = form
        return render(request, "registrations/register.html", context, status=400)
    email = form.cleaned_data["email"].strip().lower()
    if not limits.allow_address(email):
        return render(request, "registrations/too_many.html", status=429)
    outcome = booking.register(opening, email, form.chosen_sessions(), **form.details())
    return render(
        request, "registrations/registered.html", {"opening": opening, "outcome": outcome}
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def cancel_view(request, token):
    try:
        registrant_id = read_cancel(token)
    except signing.BadSignature:
        return render(request, "registrations/bad_link.html", status=404)
    registrant = Registrant.objects.select_related("opening__page").filter(pk=registrant_id).first()
    if registrant is None or registrant.erased_at:
        # Cancelled, or erased already (its seats kept as counts): nothing left to show.
        return render(request, "registrations/cancelled.html", {"result": None})
    if request.method == "GET":
        seats = registrant.seats.select_related("event").order_by("event__starts_at")
        now = timezone.now()
        return render(
            request,
            "registrations/cancel.html",
            {
                "registrant": registrant,
                "seats": seats,
                "token": token,
                "started": any(booking.has_started(s.event, now) for s in seats),
            },
        )
    result = booking.cancel(registrant.pk)
    return render(request, "registrations/cancelled.html", {"result": result})
