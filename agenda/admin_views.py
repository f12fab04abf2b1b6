"""Copy an event as the next session of its series: same everything, dates shifted
by the series' interval (one week by default), saved as a draft to adjust."""

import re
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .models import EventPage


def latest_sessions(series):
    """The series' last two sessions, drafts included: a session copied a moment ago
    and not yet published is the one the next copy must follow."""
    return list(EventPage.objects.child_of(series).order_by("-start_date", "-pk")[:2])[::-1]


def interval_of(sessions) -> timedelta:
    """The gap between the last two sessions of the series, else one week."""
    if len(sessions) == 2 and sessions[1].start_date > sessions[0].start_date:
        return sessions[1].start_date - sessions[0].start_date
    return timedelta(days=7)


def free_slug(parent, slug):
    # "webinaire-2" → "webinaire-3", but "rencontres-2027" keeps its year.
    base = re.sub(r"-\d{1,2}$", "", slug) or "seance"
    taken = set(parent.get_children().values_list("slug", flat=True))
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


@require_http_methods(["GET", "POST"])
def copy_as_next_session(request, page_id):
    event = get_object_or_404(EventPage, pk=page_id)
    parent = event.get_parent()
    if not event.permissions_for_user(request.user).can_copy_to(parent):
        raise PermissionDenied
    # Within a series, the next session follows the latest one, whichever was clicked.
    sessions = latest_sessions(event.series) if event.series else [event]
    source = sessions[-1]
    gap = interval_of(sessions)

    def shift(day):
        return day + gap if day else day

    if request.method == "GET":
        return TemplateResponse(
            request,
            "agenda/admin/copy_next_session.html",
            {
                "event": source,
                "start_date": shift(source.start_date),
                "gap_days": gap.days,
            },
        )
    copy = source.copy(
        to=parent,
        update_attrs={
            "title": source.title,
            "slug": free_slug(parent, source.slug),
            "start_date": shift(source.start_date),
            "end_date": shift(source.end_date),
            "registration_deadline": shift(source.registration_deadline),
            "participants_count": None,
            "replay_url": "",
        },
        exclude_fields=["documents"],
        keep_live=False,
        user=request.user,
    )
    messages.success(
        request, _("Séance suivante créée en brouillon : vérifiez le titre et les dates.")
    )
    return redirect("wagtailadmin_pages:edit", copy.pk)
