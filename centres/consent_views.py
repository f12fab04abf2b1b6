"""The admin's "Co-organisations" (/admin/co-organisations/): a centre's editors answer
the invitations their centre received and follow those it sent; the coordination sees
the network's, read-only (consent is the named centre's to give)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .consent import decide, edits
from .models import Centre, CoOrganisation
from .ownership import centres_of_user
from .permissions import is_coordinator

Status = CoOrganisation.Status
LIMIT = 300


def _owner_paths() -> dict[int, str]:
    return dict(Centre.objects.filter(home_page__isnull=False).values_list("pk", "home_page__path"))


def _is_owners(record, paths) -> bool:
    """The owning centre's own record (always accepted, nothing to answer)."""
    path = paths.get(record.centre_id)
    return path is not None and record.page.path.startswith(path)


def can_decide(user, record, paths=None) -> bool:
    if _is_owners(record, paths if paths is not None else _owner_paths()):
        return False
    return user.is_superuser or edits(user, record.centre)


def pending_for(user) -> int:
    """Invitations waiting for an answer from the user's centres (the dashboard)."""
    centres = [centre.pk for centre in centres_of_user(user)]
    if not centres:
        return 0
    paths = _owner_paths()
    records = CoOrganisation.objects.filter(
        centre_id__in=centres, status=Status.PENDING, page__live=True
    ).select_related("page")
    return sum(1 for record in records if not _is_owners(record, paths))


def _rows(records, user, paths):
    return [
        (record, can_decide(user, record, paths))
        for record in records.select_related("page", "centre", "decided_by", "invited_by").order_by(
            "-invited_at", "-pk"
        )[:LIMIT]
        if not _is_owners(record, paths)
    ]


def co_organisations(request):
    user = request.user
    paths = _owner_paths()
    centres = centres_of_user(user)
    ids = [centre.pk for centre in centres]
    # Invitations to pages never published are not shown: nobody was asked yet.
    asked = CoOrganisation.objects.filter(page__first_published_at__isnull=False)
    received = _rows(asked.filter(centre_id__in=ids), user, paths)
    sent = []
    if centres:
        mine = Q()
        for centre in centres:
            mine |= Q(page__path__startswith=centre.home_page.path)
        sent = _rows(
            asked.filter(mine | Q(invited_by=user)).exclude(centre_id__in=ids), user, paths
        )
    network = _rows(asked, user, paths) if is_coordinator(user) else []
    return TemplateResponse(
        request,
        "centres/admin/co_organisations.html",
        {"received": received, "sent": sent, "network": network, "centres": centres},
    )


@require_POST
def decide_view(request, pk, action):
    record = get_object_or_404(CoOrganisation.objects.select_related("page", "centre"), pk=pk)
    if not can_decide(request.user, record):
        raise PermissionDenied(
            _("Seuls les éditeurs du centre invité peuvent répondre à cette invitation.")
        )
    accept = action == "accept"
    decide(record, request.user, accept)
    if accept:
        message = _("« %(title)s » apparaît désormais sur le site de %(centre)s.")
    else:
        message = _("« %(title)s » n’apparaîtra pas sur le site de %(centre)s.")
    messages.success(request, message % {"title": record.page.title, "centre": record.centre.name})
    return redirect("co_organisations")
