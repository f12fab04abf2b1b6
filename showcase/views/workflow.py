"""A centre turns its two-step publication on or off (see showcase.workflows)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from centres.models import Centre
from centres.ownership import centres_of_user
from centres.permissions import is_coordinator
from portal.listing import in_french_order

from .. import workflows
from ..forms import WorkflowForm


def workflow_index(request):
    centres = centres_of_user(request.user)
    if len(centres) == 1:
        return redirect("showcase_workflow", centres[0].slug)
    if is_coordinator(request.user):
        centres = Centre.objects.all()
    centres = in_french_order(centres, "name")
    rows = [(centre, workflows.is_enabled(centre)) for centre in centres]
    return TemplateResponse(request, "showcase/admin/workflow_index.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def workflow(request, slug):
    centre = get_object_or_404(Centre.objects.exclude(home_page=None), slug=slug)
    if not workflows.can_manage(request.user, centre):
        raise PermissionDenied(
            _(
                "Seuls les éditeurs du centre (ou ses validateurs, une fois "
                "le circuit activé) règlent son circuit de validation."
            )
        )
    enabled = workflows.is_enabled(centre)
    group = workflows.validators_group(centre)
    editors = get_user_model().objects.filter(groups=centre.editors_group_id).order_by("username")
    initial = {
        "enabled": enabled,
        "validators": list(group.user_set.values_list("pk", flat=True)) if group else [],
    }
    data = request.POST if request.method == "POST" else None
    form = WorkflowForm(data, initial=initial, editors=editors)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["enabled"]:
            workflows.enable(centre, form.cleaned_data["validators"])
            messages.success(
                request, _("Circuit de validation actif pour %(centre)s.") % {"centre": centre.name}
            )
        else:
            if enabled:
                workflows.disable(centre)
            messages.success(
                request, _("%(centre)s publie en autonomie.") % {"centre": centre.name}
            )
        return redirect("showcase_workflow", centre.slug)
    return TemplateResponse(
        request,
        "showcase/admin/workflow.html",
        {
            "centre": centre,
            "form": form,
            "enabled": enabled,
        },
        status=400 if request.method == "POST" else 200,
    )
