"""The network's yearly activity report: one site (or the network) for a year and the
year before, and the per-page table. Shared by `stats_report` and the admin."""

from datetime import date

from .report import build

HEADLINE = (
    "visitors",
    "sessions",
    "page_views",
    "bounce_rate",
    "average_duration_seconds",
    "unique_downloads",
)


def headline(totals) -> dict:
    return {
        "visitors": totals.visitors,
        "sessions": totals.sessions,
        "page_views": totals.page_views,
        "bounce_rate": round(totals.bounce_rate, 4),
        "average_duration_seconds": round(totals.average_duration_seconds, 1),
        "unique_downloads": totals.unique_downloads,
    }


def yearly_report(site_ids, year: int, *, months=True) -> dict:
    current = build(site_ids, date(year, 1, 1), date(year, 12, 31), months=months)
    previous = build(site_ids, date(year - 1, 1, 1), date(year - 1, 12, 31), details=False)
    pages = {}
    # On the network, the same path on two sites is two lines of the per-site table
    # summed: the report lists paths, as the network's own report does.
    for (_site_id, path), figures in current.pages.items():
        line = pages.setdefault(path, {"path": path, "page_views": 0, "visitors": 0})
        line["page_views"] += figures.page_views
        line["visitors"] += figures.visitors
    return {
        "year": year,
        **headline(current.totals),
        "previous_year": {"year": year - 1, **headline(previous.totals)},
        "pages": sorted(pages.values(), key=lambda line: (-line["page_views"], line["path"])),
    }
