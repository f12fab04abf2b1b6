"""The yearly activity report for a list of site ids (one site, or the network when it
holds several): what `stats_report`, the admin and the benchmark call."""

from wagtail.models import Site

from .activity import activity_report

HEADLINE = (
    "visitors",
    "sessions",
    "page_views",
    "daily_visitors",
    "bounce_rate",
    "average_duration_seconds",
    "downloads",
    "unique_downloads",
)


def yearly_report(site_ids, year: int, *, months=True, network=None, compare=None) -> dict:
    sites = list(
        Site.objects.filter(pk__in=list(site_ids))
        .select_related("root_page")
        .order_by("-is_default_site", "site_name", "hostname")
    )
    if network is None:
        network = len(sites) > 1
    return activity_report(sites, year, network=network, compare=compare, months=months)
