"""Admin views beside the letter snippets: a letter's preview and sending page (fill,
preview HTML and text, test to oneself, send now or at a date), the figures, and the
subscribers' CSV export and import. Every view checks the letter's or list's site
against the user's (newsletter.access)."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.models import Site

from . import csv_io
from .access import figures_sites_for, sites_for
from .admin_forms import ImportForm, SendForm
from .figures import letter_links, site_figures
from .filling import fill
from .models import Delivery, Letter
from .render import OPENS, render_html, render_text
from .sending import schedule, send_test


def own_letter(request, letter_id):
    letter = get_object_or_404(Letter.objects.select_related("mailing_list__site"), pk=letter_id)
    if not sites_for(request.user).filter(pk=letter.site_id).exists():
        raise PermissionDenied
    return letter


def letter_view(request, letter_id):
    letter = own_letter(request, letter_id)
    counts = {
        status: letter.deliveries.filter(status=status).count()
        for status, _label in Delivery.STATUSES
    }
    return TemplateResponse(
        request,
        "newsletter/admin/letter.html",
        {
            "letter": letter,
            "send_form": SendForm(),
            "counts": counts,
            "links": letter_links(letter),
            "editable": letter.status in (Letter.DRAFT, Letter.SCHEDULED),
        },
    )


def preview_html(request, letter_id):
    letter = own_letter(request, letter_id)
    response = HttpResponse(render_html(letter).replace(OPENS, ""))
    # The preview is shown in a frame of the admin's own page.
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def preview_text(request, letter_id):
    letter = own_letter(request, letter_id)
    return HttpResponse(render_text(letter), content_type="text/plain; charset=utf-8")


@require_POST
def fill_view(request, letter_id):
    letter = own_letter(request, letter_id)
    if letter.status != Letter.DRAFT:
        raise PermissionDenied
    added = fill(letter)
    messages.success(request, _("%(count)d nouveauté(s) ajoutée(s).") % {"count": added})
    return redirect("newsletter_letter", letter.pk)


@require_POST
def test_view(request, letter_id):
    letter = own_letter(request, letter_id)
    if not request.user.email:
        messages.error(request, _("Votre compte n’a pas d’adresse électronique."))
    else:
        send_test(letter, request.user.email)
        messages.success(request, _("Test envoyé à %(address)s.") % {"address": request.user.email})
    return redirect("newsletter_letter", letter.pk)


@require_POST
def send_view(request, letter_id):
    letter = own_letter(request, letter_id)
    form = SendForm(request.POST)
    if letter.status not in (Letter.DRAFT, Letter.SCHEDULED) or not form.is_valid():
        messages.error(request, _("Cette lettre ne peut pas être envoyée."))
        return redirect("newsletter_letter", letter.pk)
    when = form.cleaned_data["send_at"]
    if when is not None and when <= timezone.now():
        when = None
    schedule(letter, when)
    messages.success(
        request,
        _("Envoi programmé.") if when else _("Envoi lancé : la lettre part en arrière-plan."),
    )
    return redirect("newsletter_letter", letter.pk)


def figures_view(request):
    sites = figures_sites_for(request.user)
    if not sites.exists():
        raise PermissionDenied
    return TemplateResponse(
        request,
        "newsletter/admin/figures.html",
        {"figures": site_figures(sites), "export_sites": sites_for(request.user)},
    )


def export_view(request, site_id):
    """Only the site's own editors (not the coordination for a centre's site)."""
    site = get_object_or_404(Site, pk=site_id)
    if not sites_for(request.user).filter(pk=site.pk).exists():
        raise PermissionDenied
    out = io.StringIO()
    csv_io.export(site, out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="abonnes-{site.pk}-{stamp}.csv"'
    return response


def import_view(request):
    if not sites_for(request.user).exists():
        raise PermissionDenied
    refused, imported = [], None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            rows, refused = csv_io.read(form.cleaned_data["file"])
            if not refused and rows:
                imported = csv_io.import_rows(
                    form.cleaned_data["mailing_list"],
                    rows,
                    f"Import du {timezone.localdate():%d/%m/%Y} par {request.user.get_username()}"
                    f" : {form.cleaned_data['file'].name}",
                )
            elif not rows and not refused:
                refused = [_("le fichier ne contient aucune ligne")]
    else:
        form = ImportForm(user=request.user)
    return TemplateResponse(
        request,
        "newsletter/admin/import.html",
        {"form": form, "refused": refused, "imported": imported},
        status=400 if refused else 200,
    )
