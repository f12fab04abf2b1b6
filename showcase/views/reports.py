"""The showcase figures (coordination only): on screen and as CSV for the yearly report."""

from django.http import HttpResponse
from django.template.response import TemplateResponse

from ..figures import as_csv, showcased_counts, summary
from .moderation import _require_moderator


def _year(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


def figures(request):
    _require_moderator(request.user)
    year = _year(request)
    rows = showcased_counts(year)
    return TemplateResponse(
        request,
        "showcase/admin/figures.html",
        {
            "year": year,
            "rows": rows,
            "summary": summary(rows),
            "all_years": sorted({row[0] for row in showcased_counts()}, reverse=True),
        },
    )


def figures_csv(request):
    _require_moderator(request.user)
    year = _year(request)
    response = HttpResponse(as_csv(showcased_counts(year)), content_type="text/csv; charset=utf-8")
    name = f"vitrine-{year}.csv" if year else "vitrine.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
