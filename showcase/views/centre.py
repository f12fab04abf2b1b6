"""A centre's side: propose one of its published items, follow its proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wagtail.models import Page

from .. import decisions
from ..forms import ProposeForm
from ..models import Proposal
from ..rules import can_moderate, can_propose, can_withdraw, proposable_reason, visible_proposals


@require_http_methods(["GET", "POST"])
def propose(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not can_propose(request.user, page):
        raise PermissionDenied(_("Seuls les éditeurs du centre peuvent proposer ce contenu."))
    reason = proposable_reason(page)
    form = ProposeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and reason is None and form.is_valid():
        try:
            decisions.propose(page, request.user, note=form.cleaned_data["note"])
        except IntegrityError:  # proposed a moment ago by a colleague
            return TemplateResponse(
                request,
                "showcase/admin/propose.html",
                {"page": page, "form": form, "reason": proposable_reason(page)},
                status=409,
            )
        messages.success(
            request,
            _(
                "« %(title)s » est proposé au portail national. La "
                "coordination vous répondra ici et par courriel."
            )
            % {"title": page.title},
        )
        return redirect("showcase_mine")
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "showcase/admin/propose.html",
        {"page": page, "form": form, "reason": reason},
        status=status,
    )


def mine(request):
    """The status of the proposals the user may see: their own centres' only."""
    proposals = (
        visible_proposals(request.user)
        .select_related("centre", "page", "decided_by")
        .order_by("-proposed_at", "-pk")
    )
    rows = [(proposal, can_withdraw(request.user, proposal)) for proposal in proposals[:200]]
    return TemplateResponse(
        request, "showcase/admin/mine.html", {"rows": rows, "moderator": can_moderate(request.user)}
    )


def proposals_of(user, limit=5):
    """The latest decisions on the user's centres' proposals, for the dashboard."""
    return list(
        visible_proposals(user)
        .exclude(decided_at=None)
        .select_related("centre")
        .order_by("-decided_at")[:limit]
    )


def pending_count():
    return Proposal.objects.filter(status="pending").count()
