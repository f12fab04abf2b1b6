"""What visitors searched for on one site over a period: the most frequent queries
and those that found nothing (the content the network is missing)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils import timezone

from . import figures
from .models import QueryDay
from .permissions import sites_for

PERIODS = (7, 30, 90, 365)
TOP = 30


def search_terms(request):
    sites = sites_for(request.user)
    if not sites.exists():
        raise PermissionDenied
    site = (
        sites.filter(
            pk=request.GET.get("site") if str(request.GET.get("site", "")).isdigit() else None
        ).first()
        or sites.order_by("-is_default_site", "site_name").first()
    )
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    since = timezone.localdate() - timedelta(days=days - 1)
    figures.flush()  # the searches counted since the last flush, so the report is whole
    rows = QueryDay.objects.filter(site=site, date__gte=since).values("query")
    popular = rows.annotate(hits=Sum("hits"), empty=Sum("empty_hits")).order_by("-hits", "query")[
        :TOP
    ]
    empty = (
        rows.filter(empty_hits__gt=0)
        .annotate(empty=Sum("empty_hits"))
        .order_by("-empty", "query")[:TOP]
    )
    return TemplateResponse(
        request,
        "search/admin/search_terms.html",
        {
            "sites": sites.order_by("-is_default_site", "site_name"),
            "site": site,
            "days": days,
            "periods": PERIODS,
            "popular": popular,
            "empty": empty,
            "since": since,
        },
    )
