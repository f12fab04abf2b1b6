"""The Statistics report in the admin, a page's own figures, the yearly report and the
"don't count my visits" switch. Every view asks `access.visible_sites` first."""

from datetime import date, timedelta

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin.auth import permission_denied
from wagtail.models import Page

from agenda.models import EventPage

from .access import sees_network, site_of_page, visible_sites
from .charts import bars_svg, trend_svg
from .documents import as_docx_bytes, as_xlsx_bytes, figure_rows, file_name, table_rows
from .exports import as_csv, as_xlsx
from .figures import Totals
from .imports import MAX_BYTES, read
from .models import ExcludedUser, ImportedYear
from .replays import page_plays
from .report import build, page_by_day
from .yearly import yearly_report

NETWORK = "reseau"
DAILY_UP_TO = 62  # days; longer periods are shown per month
MAX_SPAN = 3 * 366
DOWNLOAD_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def site_choices(user):
    sites = visible_sites(user)
    choices = (
        [(NETWORK, gettext_lazy("Réseau national (somme des sites)"))] if sees_network(user) else []
    )
    return sites, choices + [(str(site.pk), site.site_name or site.hostname) for site in sites]


class PeriodForm(forms.Form):
    site = forms.ChoiceField(label=gettext_lazy("Site"))
    start = forms.DateField(
        label=gettext_lazy("Du"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("Au"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("La fin de la période doit suivre son début."))
            elif (end - start).days > MAX_SPAN:
                self.add_error("end", _("Trois ans au plus."))
        return data


def presets(today: date):
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - timedelta(days=1)
    return [
        (_("7 derniers jours"), today - timedelta(days=6), today),
        (_("30 derniers jours"), today - timedelta(days=29), today),
        (_("Ce mois-ci"), first_of_month, today),
        (_("Mois dernier"), last_month_end.replace(day=1), last_month_end),
        (_("Cette année"), today.replace(month=1, day=1), today),
        (_("Année dernière"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    ]


def series_of(report):
    """(label, Totals) per day for short periods, per month for long ones."""
    if report.days <= DAILY_UP_TO:
        return [
            (formats.date_format(day, "SHORT_DATE_FORMAT"), report.by_day.get(day, Totals()))
            for day in (report.start + timedelta(n) for n in range(report.days))
        ]
    months = report.by_month()
    result, month = [], report.start.replace(day=1)
    while month <= report.end:
        result.append(
            (formats.date_format(month, "YEAR_MONTH_FORMAT"), months.get(month, Totals()))
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return result


def change(current, previous):
    """Relative change in percent, None when there is nothing to compare with."""
    return None if not previous else round((current - previous) * 100 / previous, 1)


def comparison(totals, previous):
    rows = [
        (_("Pages vues"), totals.page_views, previous.page_views),
        (_("Visiteurs"), totals.visitors, previous.visitors),
        (_("Visites"), totals.sessions, previous.sessions),
        (_("Téléchargements uniques"), totals.unique_downloads, previous.unique_downloads),
    ]
    return [(label, now, before, change(now, before)) for label, now, before in rows]


def selected(request, user):
    """(form, site_ids, scope label) from the query string, or defaults."""
    sites, choices = site_choices(user)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("site", choices[0][0])
    data.setdefault("start", (today - timedelta(days=29)).isoformat())
    data.setdefault("end", today.isoformat())
    form = PeriodForm(data, choices=choices)
    if not form.is_valid():
        return form, None, None
    choice = form.cleaned_data["site"]
    if choice == NETWORK:
        return form, [site.pk for site in sites], _("Réseau national")
    site = next(site for site in sites if str(site.pk) == choice)
    return form, [site.pk], site.site_name or site.hostname


def report_view(request):
    if not visible_sites(request.user):
        return permission_denied(request)
    form, site_ids, scope = selected(request, request.user)
    context = {
        "form": form,
        "presets": presets(timezone.localdate()),
        "scope": scope,
        "excluded": ExcludedUser.objects.filter(user=request.user).exists(),
    }
    if site_ids is None:
        return render(request, "stats/admin/report.html", context, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = build(site_ids, start, end)
    series = series_of(report)
    names = {site.pk: site.site_name or site.hostname for site in visible_sites(request.user)}
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        filename = f"statistiques-{form.cleaned_data['site']}-{start}-{end}"
        writer = as_csv if export == "csv" else as_xlsx
        return writer(report, series, names.get, filename)
    previous_start, previous_end = report.previous_period()
    previous = build(site_ids, previous_start, previous_end, details=False).totals
    query = request.GET.copy()
    query.pop("format", None)
    context.update(
        {
            "report": report,
            "totals": report.totals,
            "previous": previous,
            "previous_start": previous_start,
            "previous_end": previous_end,
            "comparison": comparison(report.totals, previous),
            "series": series,
            "chart": trend_svg(
                [(label, t.page_views, t.visitors) for label, t in series],
                _("Pages vues et visiteurs, %(scope)s") % {"scope": scope},
                _(
                    "Barres : pages vues ; ligne : visiteurs. "
                    "Les chiffres sont dans le tableau qui suit."
                ),
            ),
            "pages": [
                (names.get(site_id), path, figures)
                for (site_id, path), figures in report.top_pages(25)
            ],
            "documents": report.top_documents(25),
            "replays": report.top_replays(25),
            "referrers": report.top_referrers(25),
            "many_sites": len(site_ids) > 1,
            "query": query.urlencode(),
            "year": end.year,
            "site_choice": form.cleaned_data["site"],
        }
    )
    return render(request, "stats/admin/report.html", context)


def parse_year(text, default=None):
    try:
        year = int(text or "")
    except ValueError:
        return default
    return year if 1990 <= year <= 9999 else default


def displayed(data):
    """The report's sections as the page shows them: French formats, a chart (SVG,
    with its table) where a table asks for one."""
    sections = []
    for section in data["sections"]:
        tables = []
        for table in section["tables"]:
            chart = None
            if table.get("chart") and table["rows"]:
                column = table["chart"]["column"]
                chart = bars_svg(
                    [(row[0], row[column]) for row in table["rows"]],
                    f"{section['title']} · {table['title']}",
                    _("%(column)s. Les chiffres sont dans le tableau qui suit.")
                    % {"column": table["columns"][column]},
                    f"chart-{section['key']}-{table['key']}",
                )
            tables.append(
                {
                    "title": table["title"],
                    "columns": table["columns"],
                    "rows": table_rows(table),
                    "chart": chart,
                }
            )
        sections.append(
            {
                "key": section["key"],
                "title": section["title"],
                "figures": figure_rows(section),
                "note": section.get("note", ""),
                "tables": tables,
            }
        )
    return sections


def yearly_view(request):
    sites, choices = site_choices(request.user)
    if not sites:
        return permission_denied(request)
    choice = request.GET.get("site", choices[0][0])
    year = parse_year(request.GET.get("year"), timezone.localdate().year)
    compare = parse_year(request.GET.get("compare"))
    network = choice == NETWORK
    if network and sees_network(request.user):
        site_ids, scope = [site.pk for site in sites], _("Réseau national")
    else:
        site = next((site for site in sites if str(site.pk) == choice), None)
        if site is None:
            return permission_denied(request)
        site_ids, scope = [site.pk], site.site_name or site.hostname
    data = yearly_report(site_ids, year, network=network, compare=compare)
    export = request.GET.get("format")
    if export in ("docx", "xlsx"):
        content = as_docx_bytes(data) if export == "docx" else as_xlsx_bytes(data)
        response = HttpResponse(content, content_type=DOWNLOAD_TYPES[export])
        response["Content-Disposition"] = f'attachment; filename="{file_name(data, export)}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "stats/admin/yearly.html",
        {
            "data": data,
            "sections": displayed(data),
            "scope": scope,
            "choice": choice,
            "choices": choices,
            "compare": compare or "",
            "query": query.urlencode(),
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy(
            "Colonnes : site;year;path;visitors;sessions;page_views;downloads;"
            "unique_downloads. Une ligne sans adresse par site et par année, puis une "
            "ligne par page."
        ),
    )


def import_view(request):
    sites = visible_sites(request.user)
    if not sites:
        return permission_denied(request)
    outcome = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_BYTES:
                form.add_error("file", _("Fichier trop gros (5 Mo au plus)."))
            else:
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    form.add_error("file", _("Le fichier doit être en UTF-8."))
                else:
                    outcome = read(text, allowed_sites=sites, source=upload.name)
    else:
        form = ImportForm()
    status = 400 if (form.errors or (outcome and not outcome.ok)) else 200
    return render(
        request,
        "stats/admin/import.html",
        {
            "form": form,
            "outcome": outcome,
            "sites": sites,
            "imported": ImportedYear.objects.filter(site_id__in=[site.pk for site in sites])
            .select_related("site")
            .order_by("site__hostname", "-year"),
        },
        status=status,
    )


def page_view(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    site = site_of_page(page)
    if site is None or site.pk not in {s.pk for s in visible_sites(request.user)}:
        return permission_denied(request)
    today = timezone.localdate()
    start = today - timedelta(days=29)
    by_day = page_by_day(page.pk, [site.pk], start, today)
    year = page_by_day(page.pk, [site.pk], today.replace(month=1, day=1), today)
    is_event = page.specific_class is not None and issubclass(page.specific_class, EventPage)
    rows = [(day, by_day.get(day)) for day in (start + timedelta(n) for n in range(30))]
    return render(
        request,
        "stats/admin/page.html",
        {
            "page": page,
            "site": site,
            "rows": rows,
            "month_views": sum(f.page_views for f in by_day.values()),
            "month_visitors": sum(f.visitors for f in by_day.values()),
            "month_entries": sum(f.entries for f in by_day.values()),
            "year_views": sum(f.page_views for f in year.values()),
            "year_visitors": sum(f.visitors for f in year.values()),
            "replay_plays": (
                {
                    "month": page_plays(page.pk, [site.pk], start, today),
                    "year": page_plays(page.pk, [site.pk], today.replace(month=1, day=1), today),
                }
                if is_event
                else None
            ),
            "chart": trend_svg(
                [
                    (
                        formats.date_format(day, "SHORT_DATE_FORMAT"),
                        f.page_views if f else 0,
                        f.visitors if f else 0,
                    )
                    for day, f in rows
                ],
                _("Pages vues de « %(title)s », 30 derniers jours") % {"title": page.title},
                _(
                    "Barres : pages vues ; ligne : visiteurs. "
                    "Les chiffres sont dans le tableau qui suit."
                ),
            ),
        },
    )


@require_POST
def toggle_own_visits(request):
    if ExcludedUser.objects.filter(user=request.user).delete()[0] == 0:
        ExcludedUser.objects.create(user=request.user)
    return redirect(reverse("stats_report"))
