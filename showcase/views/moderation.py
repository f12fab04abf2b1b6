"""The coordination's side: the moderation queue, its decisions, direct selection."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from wagtail.models import Page

from centres.models import Centre

from .. import decisions
from ..forms import DeclineForm, FeatureForm, SelectSearchForm, WithdrawForm
from ..models import Proposal, Status
from ..rules import (
    PROPOSABLE_MODELS,
    SECTION_OF_MODEL,
    can_moderate,
    can_withdraw,
    visible_proposals,
)

# action name → (its form, its label)
ACTIONS = {
    "approve": (None, gettext_lazy("Accepter")),
    "feature": (FeatureForm, gettext_lazy("Mettre à la une")),
    "decline": (DeclineForm, gettext_lazy("Refuser")),
    "withdraw": (WithdrawForm, gettext_lazy("Retirer du portail")),
}


def _require_moderator(user):
    if not can_moderate(user):
        raise PermissionDenied(_("Réservé à la coordination nationale."))


def queue(request):
    _require_moderator(request.user)
    proposals = Proposal.objects.select_related("centre", "page", "proposed_by")
    return TemplateResponse(
        request,
        "showcase/admin/queue.html",
        {
            "pending": proposals.filter(status=Status.PENDING).order_by("proposed_at", "pk"),
            "approved": proposals.on_front_page().order_by("featured_order", "-approved_at", "-pk")[
                :100
            ],
        },
    )


def _apply(action, proposal, user, data):
    if action == "approve":
        return decisions.approve(proposal, user)
    if action == "feature":
        return decisions.feature(proposal, user, data["order"], data["until"])
    if action == "decline":
        return decisions.decline(proposal, user, data["reason"])
    return decisions.withdraw(proposal, user, data.get("reason", ""))


@require_http_methods(["GET", "POST"])
def decide(request, pk, action):
    if action not in ACTIONS:
        return TemplateResponse(
            request, "showcase/admin/error.html", {"message": _("Action inconnue.")}, status=404
        )
    # A proposal of another centre is not even found by that centre's editors.
    proposal = get_object_or_404(
        visible_proposals(request.user).select_related("centre", "page"), pk=pk
    )
    if action == "withdraw" and not can_withdraw(request.user, proposal):
        # A centre may take back its own waiting proposal; anything else is moderation.
        if not can_moderate(request.user):
            raise PermissionDenied(_("Réservé à la coordination nationale."))
    elif action != "withdraw":
        _require_moderator(request.user)
    form_class, title = ACTIONS[action]
    initial = {}
    if action == "feature" and proposal.featured_order:
        initial = {
            "order": proposal.featured_order,
            "until": proposal.featured_last_day,
        }
    data = request.POST if request.method == "POST" else None
    form = form_class(data, initial=initial) if form_class else None
    back = "showcase_queue" if can_moderate(request.user) else "showcase_mine"
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            _apply(action, proposal, request.user, form.cleaned_data if form else {})
        except decisions.DecisionError as error:
            messages.error(
                request,
                _("Impossible : la proposition est désormais « %(status)s ».") % {"status": error},
            )
            return redirect(back)
        messages.success(
            request,
            _("« %(title)s » : %(action)s, le centre est prévenu.")
            % {"title": proposal.title, "action": str(title).lower()},
        )
        return redirect(back)
    return TemplateResponse(
        request,
        "showcase/admin/decide.html",
        {
            "proposal": proposal,
            "form": form,
            "action": action,
            "title": title,
            "back": back,
        },
        status=400 if request.method == "POST" else 200,
    )


def _candidates(search: SelectSearchForm):
    """Live items of any site, not already on the front page or in the queue."""
    wanted = search.cleaned_data.get("section")
    models = [
        model for model, section in SECTION_OF_MODEL.items() if not wanted or section == wanted
    ]
    pages = (
        Page.objects.live()
        .public()
        .type(*models)
        .exclude(pk__in=Proposal.objects.active().exclude(page=None).values("page"))
    )
    if query := search.cleaned_data.get("q"):
        pages = pages.filter(title__icontains=query)
    return list(pages.order_by("-last_published_at", "-pk")[:30])


@require_http_methods(["GET", "POST"])
def select(request):
    _require_moderator(request.user)
    if request.method == "POST":
        page = get_object_or_404(
            Page.objects.type(*PROPOSABLE_MODELS), pk=request.POST.get("page") or 0
        )
        if not page.live or Proposal.objects.active().filter(page=page).exists():
            messages.error(
                request,
                _("« %(title)s » n’est pas en ligne ou déjà sélectionné.") % {"title": page.title},
            )
        else:
            try:
                decisions.select(page, request.user)
            except IntegrityError:  # proposed by its centre a moment ago
                messages.error(
                    request,
                    _("« %(title)s » vient d’être proposé : voyez la file.")
                    % {"title": page.title},
                )
                return redirect("showcase_queue")
            messages.success(
                request,
                _("« %(title)s » est sur la page d’accueil du portail.") % {"title": page.title},
            )
        return redirect("showcase_queue")
    search = SelectSearchForm(request.GET)
    pages = _candidates(search) if search.is_valid() else []
    owners = {
        centre.home_page.path: centre
        for centre in Centre.objects.exclude(home_page=None).select_related("home_page")
    }
    rows = [
        (page, next((c for path, c in owners.items() if page.path.startswith(path)), None))
        for page in pages
    ]
    return TemplateResponse(request, "showcase/admin/select.html", {"search": search, "rows": rows})
