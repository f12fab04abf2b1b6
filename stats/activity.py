"""The yearly activity report of one site or of the network (the sum of its sites, with
a table per centre): audience, then the sections of stats.sections and of the apps that
register one (`register_report_section`), each figure beside the compared year's with
the change. One JSON-ready dict, which the admin, `stats_report` and the DOCX and XLSX
downloads all render (docs/statistics.md defines each figure).

The audience reads the daily and monthly rollups (and the raw events of the days not yet
rolled up), never a year of raw events; a site's year imported from the previous tool
(`stats_import`) replaces that site's measured figures for that year."""

from collections import defaultdict
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .figures import Totals
from .models import ImportedPage, ImportedYear, SiteDay
from .report import build
from .sections import providers

MONTHS = (
    gettext_noop("janvier"),
    gettext_noop("février"),
    gettext_noop("mars"),
    gettext_noop("avril"),
    gettext_noop("mai"),
    gettext_noop("juin"),
    gettext_noop("juillet"),
    gettext_noop("août"),
    gettext_noop("septembre"),
    gettext_noop("octobre"),
    gettext_noop("novembre"),
    gettext_noop("décembre"),
)

# Hosts of social networks (and every subdomain of them), as referrers.
SOCIAL = {
    "linkedin.com": "LinkedIn",
    "lnkd.in": "LinkedIn",
    "facebook.com": "Facebook",
    "fb.com": "Facebook",
    "fb.me": "Facebook",
    "x.com": "X (Twitter)",
    "twitter.com": "X (Twitter)",
    "t.co": "X (Twitter)",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "instagram.com": "Instagram",
    "bsky.app": "Bluesky",
    "threads.net": "Threads",
    "mastodon.social": "Mastodon",
}

TOP = 25  # lines of the per-page, referrer and document tables in the report


def social_network(host: str) -> str | None:
    host = host.lower().rstrip(".")
    for domain, name in SOCIAL.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def change(current, previous):
    """Relative change in percent (one decimal), None without a previous figure."""
    if current is None or not previous:
        return None
    return round((current - previous) * 100 / previous, 1)


def years_with_data(site_ids) -> set:
    years = {
        day.year
        for day in SiteDay.objects.filter(site_id__in=site_ids, page_views__gt=0)
        .dates("day", "year")
        .distinct()
    }
    years |= set(ImportedYear.objects.filter(site_id__in=site_ids).values_list("year", flat=True))
    return years


def compared_year(site_ids, year: int) -> int:
    """The latest earlier year with figures (measured or imported), else year - 1."""
    earlier = [y for y in years_with_data(site_ids) if y < year]
    return max(earlier) if earlier else year - 1


def site_label(site) -> str:
    return site.site_name or site.hostname


# --- audience --------------------------------------------------------------------------


def audience(sites, year: int, *, details=True, months=True) -> dict:
    """Per-site Totals (imports replacing measured years), the year's report (measured
    sites only) and the imported per-page lines."""
    site_ids = [site.pk for site in sites]
    imported = {
        row.site_id: row for row in ImportedYear.objects.filter(site_id__in=site_ids, year=year)
    }
    measured = [pk for pk in site_ids if pk not in imported]
    report = build(measured, date(year, 1, 1), date(year, 12, 31), details=details, months=months)
    per_site = {pk: Totals() for pk in site_ids}
    for site_id, totals in report.by_site.items():
        per_site[site_id].add(totals)
    for site_id, row in imported.items():
        per_site[site_id] = Totals(
            page_views=row.page_views,
            year_visitors=row.visitors,
            sessions=row.sessions,
            downloads=row.downloads,
            unique_downloads=row.unique_downloads,
        )
    imported_pages = []
    if details and imported:
        imported_pages = list(
            ImportedPage.objects.filter(site_id__in=list(imported), year=year).values(
                "site_id", "path", "page_views", "visitors"
            )
        )
    return {
        "per_site": per_site,
        "report": report,
        "imported": imported,
        "imported_pages": imported_pages,
    }


def headline(per_site: dict, imported) -> dict:
    """The audience's figures summed over the sites; daily visitors, bounce rate and
    duration over the measured sites only (the previous tool gave none of them), None
    when only imported figures carry the year."""
    totals = sum_totals(per_site)
    measured = sum_totals({pk: t for pk, t in per_site.items() if pk not in imported})
    known = not imported or measured.sessions > 0
    return {
        "visitors": totals.year_visitors,
        "sessions": totals.sessions,
        "page_views": totals.page_views,
        "daily_visitors": measured.visitors if known else None,
        "bounce_rate": round(measured.bounce_rate, 4) if known else None,
        "average_duration_seconds": (
            round(measured.average_duration_seconds, 1) if known else None
        ),
        "downloads": totals.downloads,
        "unique_downloads": totals.unique_downloads,
    }


AUDIENCE_FIGURES = (
    ("visitors", gettext_noop("Visiteurs distincts de l’année"), "count"),
    ("sessions", gettext_noop("Visites"), "count"),
    ("page_views", gettext_noop("Pages vues"), "count"),
    ("daily_visitors", gettext_noop("Visiteurs uniques par jour, cumulés"), "count"),
    ("bounce_rate", gettext_noop("Taux de rebond"), "percent"),
    ("average_duration_seconds", gettext_noop("Durée moyenne d’une visite"), "duration"),
    ("downloads", gettext_noop("Téléchargements"), "count"),
    ("unique_downloads", gettext_noop("Téléchargements uniques"), "count"),
)


def sum_totals(per_site: dict) -> Totals:
    total = Totals()
    for totals in per_site.values():
        total.add(totals)
    return total


def audience_section(sites, year, previous_year, names, network, *, months=True):
    current = audience(sites, year, months=months)
    previous = audience(sites, previous_year, details=False)
    now = headline(current["per_site"], current["imported"])
    before = headline(previous["per_site"], previous["imported"])
    figures = [
        {
            "key": key,
            "label": _(label),
            "unit": unit,
            "value": now[key],
            "previous": before[key],
            "change": None if unit != "count" else change(now[key], before[key]),
        }
        for key, label, unit in AUDIENCE_FIGURES
    ]
    report = current["report"]
    month_rows = []
    months_totals = report.by_month()
    for number, name in enumerate(MONTHS, start=1):
        totals = months_totals.get(date(year, number, 1), Totals())
        month_rows.append(
            [_(name), totals.year_visitors, totals.sessions, totals.page_views, totals.downloads]
        )
    pages = [
        {
            "site": names[site_id][0],
            "site_name": names[site_id][1],
            "path": path,
            "page_views": figures_.page_views,
            "visitors": figures_.visitors,
        }
        for (site_id, path), figures_ in report.pages.items()
    ] + [
        {
            "site": names[row["site_id"]][0],
            "site_name": names[row["site_id"]][1],
            "path": row["path"],
            "page_views": row["page_views"],
            "visitors": row["visitors"],
        }
        for row in current["imported_pages"]
    ]
    pages.sort(key=lambda line: (-line["page_views"], line["site"], line["path"]))
    social = defaultdict(int)
    for host, sessions in report.referrers.items():
        network_name = social_network(host)
        if network_name:
            social[network_name] += sessions
    tables = [
        {
            "key": "by_month",
            "title": _("Par mois"),
            "columns": [
                _("Mois"),
                _("Nouveaux visiteurs de l’année"),
                _("Visites"),
                _("Pages vues"),
                _("Téléchargements"),
            ],
            "rows": month_rows,
            "chart": {"column": 3},
        },
        {
            "key": "pages",
            "title": _("Pages les plus vues"),
            "columns": [_("Site"), _("Adresse"), _("Pages vues"), _("Visiteurs")],
            "units": ["text", "text", "count", "count"],
            "rows": [
                [line["site_name"], line["path"], line["page_views"], line["visitors"]]
                for line in pages[:TOP]
            ],
        },
        {
            "key": "referrers",
            "title": _("Sites d’origine des visites"),
            "columns": [_("Site d’origine"), _("Visites")],
            "rows": [[host, n] for host, n in report.top_referrers(TOP)],
        },
        {
            "key": "social",
            "title": _("Réseaux sociaux"),
            "columns": [_("Réseau"), _("Visites")],
            "rows": sorted(([k, v] for k, v in social.items()), key=lambda r: (-r[1], r[0])),
        },
        {
            "key": "documents",
            "title": _("Documents les plus téléchargés"),
            "columns": [_("Document"), _("Téléchargements"), _("Téléchargements uniques")],
            "rows": [
                [doc.title or _("(document supprimé)"), doc.downloads, doc.unique_downloads]
                for _pk, doc in report.top_documents(TOP)
            ],
        },
    ]
    if network:
        tables.append(
            {
                "key": "per_centre",
                "title": _("Par centre"),
                "columns": [
                    _("Site"),
                    _("Visiteurs distincts"),
                    _("Visites"),
                    _("Pages vues"),
                    _("Téléchargements uniques"),
                    _("Pages vues %(year)s") % {"year": previous_year},
                    _("Évolution"),
                ],
                "units": ["text", "count", "count", "count", "count", "count", "change"],
                "rows": [
                    [
                        names[site.pk][1],
                        current["per_site"][site.pk].year_visitors,
                        current["per_site"][site.pk].sessions,
                        current["per_site"][site.pk].page_views,
                        current["per_site"][site.pk].unique_downloads,
                        previous["per_site"][site.pk].page_views,
                        change(
                            current["per_site"][site.pk].page_views,
                            previous["per_site"][site.pk].page_views,
                        ),
                    ]
                    for site in sites
                ],
            }
        )
    notes = [method_note()]
    imported_names = sorted(names[pk][1] for pk in current["imported"])
    if imported_names:
        notes.append(
            _(
                "Chiffres de %(year)s importés de l’outil précédent pour : %(sites)s "
                "(ni mois, ni rebond, ni durée)."
            )
            % {"year": year, "sites": ", ".join(imported_names)}
        )
    section = {
        "key": "audience",
        "title": _("Audience"),
        "figures": figures,
        "tables": tables,
        "note": " ".join(notes),
    }
    return section, now, before, pages


def method_note() -> str:
    return _(
        "Visiteurs distincts de l’année : le navigateur garde l’année de sa dernière "
        "visite au site (aucun identifiant n’est envoyé ni conservé) et signale la "
        "première visite de chaque année civile. Limites : un visiteur qui change de "
        "navigateur ou d’appareil, efface ses données de navigation ou navigue en privé "
        "compte plusieurs fois ; un navigateur sans stockage local ou sans JavaScript, "
        "ou qui refuse la mesure, ne compte pas ; les sites se somment sans "
        "dédoublonnage. Les visiteurs uniques par jour, cumulés, sont donnés à part."
    )


# --- sections from providers -------------------------------------------------------------


def _sum_by_site(by_site: dict, site_ids) -> int:
    return sum(by_site.get(pk, 0) or 0 for pk in site_ids)


def _sum_table(by_site: dict, site_ids) -> dict:
    rows = {}
    for pk in site_ids:
        for label, values in (by_site.get(pk) or {}).items():
            seen = rows.setdefault(label, [0] * len(values))
            for index, number in enumerate(values):
                seen[index] += number or 0
    return rows


def _listed_table(table, site_ids) -> dict:
    """A table of lines that are not summed (one per event, say): the sites' lines
    together, ordered by the column `order_by` (then the first), not compared."""
    order_by = table.get("order_by", 0)
    lines = [list(line) for pk in site_ids for line in table["lines_by_site"].get(pk) or []]
    lines.sort(key=lambda line: (str(line[order_by]), str(line[0])))
    return {
        "key": table["key"],
        "title": table["title"],
        "columns": list(table["columns"]),
        "units": table.get("units") or ["text"] + ["count"] * (len(table["columns"]) - 1),
        "rows": lines,
    }


def provider_section(provider, sites, year, previous_year, names, network):
    current = provider(sites, year)
    if not current:
        return None
    previous = provider(sites, previous_year) or {"figures": [], "tables": []}
    site_ids = [site.pk for site in sites]
    before_of = {f["key"]: f for f in previous.get("figures", [])}
    values, before_values = {}, {}
    for figure in current.get("figures", []):
        if "by_site" in figure:
            values[figure["key"]] = _sum_by_site(figure["by_site"], site_ids)
            before_values[figure["key"]] = _sum_by_site(
                before_of.get(figure["key"], {}).get("by_site", {}), site_ids
            )
    figures = []
    for figure in current.get("figures", []):
        if "ratio" in figure:
            top, bottom = figure["ratio"]
            value = values.get(top, 0) / values[bottom] if values.get(bottom) else None
            before = (
                before_values.get(top, 0) / before_values[bottom]
                if before_values.get(bottom)
                else None
            )
            figures.append(
                {
                    "key": figure["key"],
                    "label": figure["label"],
                    "unit": "percent",
                    "value": None if value is None else round(value, 4),
                    "previous": None if before is None else round(before, 4),
                    "change": None,
                }
            )
        else:
            now, before = values[figure["key"]], before_values[figure["key"]]
            figures.append(
                {
                    "key": figure["key"],
                    "label": figure["label"],
                    "unit": "count",
                    "value": now,
                    "previous": before,
                    "change": change(now, before),
                }
            )
    tables = []
    previous_tables = {t["key"]: t for t in previous.get("tables", [])}
    for table in current.get("tables", []):
        if "lines_by_site" in table:
            tables.append(_listed_table(table, site_ids))
            continue
        rows = _sum_table(table.get("by_site", {}), site_ids)
        columns = list(table["columns"])
        single = len(columns) == 2
        before_rows = _sum_table(previous_tables.get(table["key"], {}).get("by_site", {}), site_ids)
        if single:
            columns += [str(previous_year), _("Évolution")]
            lines = [
                [
                    label,
                    numbers[0],
                    before_rows.get(label, [0])[0],
                    change(numbers[0], before_rows.get(label, [0])[0]),
                ]
                for label, numbers in rows.items()
            ]
            units = ["text", "count", "count", "change"]
        else:
            lines = [[label, *numbers] for label, numbers in rows.items()]
            units = ["text"] + ["count"] * (len(columns) - 1)
        lines.sort(key=lambda line: (-(line[1] or 0), str(line[0])))
        tables.append(
            {
                "key": table["key"],
                "title": table["title"],
                "columns": columns,
                "units": units,
                "rows": lines,
                **({"chart": {"column": 1}} if table.get("chart") else {}),
            }
        )
    counted = [f for f in current.get("figures", []) if "by_site" in f]
    if network and counted:
        tables.append(
            {
                "key": "per_centre",
                "title": _("Par centre"),
                "columns": [_("Site")] + [f["label"] for f in counted],
                "units": ["text"] + ["count"] * len(counted),
                "rows": [
                    [names[site.pk][1]] + [f["by_site"].get(site.pk, 0) or 0 for f in counted]
                    for site in sites
                ],
            }
        )
    return {
        "key": current["key"],
        "title": current["title"],
        "order": current.get("order", 100),
        "figures": figures,
        "tables": tables,
        "note": current.get("note", ""),
    }


# --- the report ---------------------------------------------------------------------------


def activity_report(sites, year: int, *, network=False, compare=None, months=True) -> dict:
    """The report of `sites` (one site, or every site with network=True) for `year`,
    beside `compare` (default: the latest earlier year with figures)."""
    sites = list(sites)
    site_ids = [site.pk for site in sites]
    previous_year = compare or compared_year(site_ids, year)
    names = {site.pk: (site.hostname, site_label(site)) for site in sites}
    section, now, before, pages = audience_section(
        sites, year, previous_year, names, network, months=months
    )
    sections = [section]
    extra = []
    for provider in providers():
        built = provider_section(provider, sites, year, previous_year, names, network)
        if built:
            extra.append(built)
    extra.sort(key=lambda s: s["order"])
    sections += extra
    return {
        "year": year,
        "compared_with": previous_year,
        "scope": "network" if network else "site",
        "site": None if network else sites[0].hostname,
        "title": _("Réseau national") if network else site_label(sites[0]),
        "sites": [names[pk][0] for pk in site_ids],
        **now,
        "previous_year": {"year": previous_year, **before},
        "pages": [
            {key: line[key] for key in ("site", "path", "page_views", "visitors")} for line in pages
        ],
        "method": method_note(),
        "sections": sections,
    }
