"""The organiser's side, in the admin (Inscriptions): the openings the user may manage,
opening and editing one, its registrants with search and check-in on the day, the
CSV/XLSX export, a message to all, and the figures. Every view checks the opening
against the user's (registrations.access)."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Site

from . import booking, mails
from .access import figures_openings_for, openings_for
from .admin_forms import MessageForm, OpeningForm
from .figures import figures, opening_counts, seats_of
from .models import Opening, Registrant, Seat


def own_opening(request, opening_id):
    opening = get_object_or_404(Opening.objects.select_related("page"), pk=opening_id)
    if not openings_for(request.user).filter(pk=opening.pk).exists():
        raise PermissionDenied
    return opening


def index_view(request):
    openings = list(openings_for(request.user).select_related("page").order_by("-created_at")[:200])
    counts = opening_counts([o.pk for o in openings])
    rows = [(o, *counts[o.pk]) for o in openings]
    return TemplateResponse(request, "registrations/admin/index.html", {"rows": rows})


def opening_form_view(request, opening_id=None):
    opening = own_opening(request, opening_id) if opening_id else None
    form = OpeningForm(request.POST or None, instance=opening, user=request.user)
    if request.method == "POST" and form.is_valid():
        opening = form.save()
        # More places, or the waiting list closed: the first in line get the places.
        booking.promote_all(opening)
        messages.success(request, _("Inscriptions enregistrées."))
        return redirect("registrations_registrants", opening.pk)
    return TemplateResponse(
        request, "registrations/admin/opening_form.html", {"form": form, "opening": opening}
    )


def _seats(opening, query=""):
    seats = (
        Seat.objects.filter(registrant__opening=opening)
        .select_related("registrant__profile", "event")
        .order_by("event__starts_at", "status", "queued_at", "pk")
    )
    if query:
        seats = seats.filter(
            Q(registrant__name__icontains=query)
            | Q(registrant__email__icontains=query)
            | Q(registrant__organisation__icontains=query)
        )
    return seats


ATTENDED = {"present": True, "absent": False, "": None}


def registrants_view(request, opening_id):
    opening = own_opening(request, opening_id)
    if request.method == "POST":
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("attended-") and value in ATTENDED:
                marks[key.removeprefix("attended-")] = ATTENDED[value]
        seats = Seat.objects.filter(
            registrant__opening=opening,
            status=Seat.CONFIRMED,
            # ASCII digits of a sane length only: "²" passes isdigit() but not int(), and
            # a huge number overflows the database's integer (both were a 500).
            pk__in=[int(k) for k in marks if k.isascii() and k.isdigit() and len(k) < 19],
        )
        changed = False
        with transaction.atomic():
            for seat in seats:
                if seat.attended != marks[str(seat.pk)]:
                    seat.attended = marks[str(seat.pk)]
                    seat.save(update_fields=["attended"])
                    changed = True
            if changed:
                # The public pages show the people marked present (read when rendered,
                # agenda's `public_participants_count`): their cached copies are renewed,
                # as when a session fills up. Nothing is written on the page itself.
                booking.renew_pages(opening)
        messages.success(request, _("Présences enregistrées."))
        return redirect(request.get_full_path())
    query = request.GET.get("q", "").strip()[:100]
    seats = list(_seats(opening, query))
    return TemplateResponse(
        request,
        "registrations/admin/registrants.html",
        {
            "opening": opening,
            "seats": seats,
            "query": query,
            "states": booking.states(opening),
            "figures": figures(seats_of(opening_ids=[opening.pk])),
        },
    )


COLUMNS = [
    ("event", "Séance"),
    ("status", "Statut"),
    ("name", "Nom"),
    ("email", "Adresse électronique"),
    ("organisation", "Structure"),
    ("profile", "Profil"),
    ("territory", "Territoire"),
    ("accessibility", "Besoins d’accessibilité"),
    ("answer", "Réponse"),
    ("registered", "Inscrit le"),
    ("attended", "Présence"),
]


def _rows(opening):
    for seat in _seats(opening):
        person = seat.registrant
        yield [
            seat.event.title,
            seat.get_status_display(),
            person.name,
            person.email,
            person.organisation,
            person.profile.name if person.profile else "",
            person.territory,
            person.accessibility,
            person.answer,
            timezone.localtime(person.created_at).strftime("%Y-%m-%d %H:%M"),
            {True: "présent", False: "absent", None: ""}[seat.attended],
        ]


def export_view(request, opening_id, fmt):
    opening = own_opening(request, opening_id)
    name = f"inscrits-{opening.page.slug}"
    header = [label for _key, label in COLUMNS]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Inscrits")
        sheet.append(header)
        for row in _rows(opening):
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerows(_rows(opening))
        # A BOM: the spreadsheet programs the centres use read the accents right.
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def message_view(request, opening_id):
    opening = own_opening(request, opening_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        statuses = [Seat.CONFIRMED] + ([Seat.WAITING] if form.cleaned_data["waiting"] else [])
        people = (
            Registrant.objects.filter(opening=opening, seats__status__in=statuses)
            .exclude(email="")
            .distinct()
        )
        count = 0
        with transaction.atomic():
            for person in people:
                # The text waits in a notice; the task gets its id (no address in the
                # task queue) and adds the person's cancellation link when sending.
                mails.queue_message(
                    person.pk, form.cleaned_data["subject"], form.cleaned_data["body"].strip()
                )
                count += 1
        messages.success(request, _("Message envoyé à %(n)d inscrits.") % {"n": count})
        return redirect("registrations_registrants", opening.pk)
    return TemplateResponse(
        request, "registrations/admin/message.html", {"form": form, "opening": opening}
    )


def figures_view(request):
    openings = figures_openings_for(request.user)
    if not request.user.is_superuser and not openings.exists():
        raise PermissionDenied
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("annee", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 5)
    # Per centre (per site, each event counted for the site that holds it): the
    # national figures are their sum.
    sites = Site.objects.select_related("root_page")
    counted = figures(seats_of(year=year, opening_ids=openings.values("pk")), sites)
    return TemplateResponse(
        request,
        "registrations/admin/figures.html",
        {
            "year": year,
            "years": range(this_year - 4, this_year + 2),
            "figures": counted,
            "by_site": counted["by_site"],
        },
    )
