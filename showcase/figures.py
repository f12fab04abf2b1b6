"""Showcase figures for the network's yearly report: items that reached the national
front page, per year of their first approval, per centre and per section."""

import csv
import io
from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from .models import Proposal, Section


def showcased_counts(year: int | None = None):
    """(year, centre name, section, count) rows, one grouped query."""
    rows = (
        Proposal.objects.showcased()
        .annotate(year=ExtractYear("approved_at"))
        .values("year", "centre__name", "section")
        .annotate(count=Count("pk"))
        .order_by("-year", "centre__name", "section")
    )
    if year:
        rows = rows.filter(year=year)
    national = _("Réseau national")
    return [
        (row["year"], row["centre__name"] or national, row["section"], row["count"]) for row in rows
    ]


def summary(rows):
    """Totals per year, per centre and per section (and per year × section)."""
    per_year, per_centre, per_section, per_year_section = Counter(), Counter(), Counter(), Counter()
    for year, centre, section, count in rows:
        per_year[year] += count
        per_centre[centre] += count
        per_section[section] += count
        per_year_section[year, section] += count
    sections = list(Section)
    return {
        "sections": sections,
        "years": [
            (year, total, [per_year_section[year, s] for s in sections])
            for year, total in sorted(per_year.items(), reverse=True)
        ],
        "centres": sorted(per_centre.items(), key=lambda item: (-item[1], item[0])),
        "per_section": [(s, per_section[s]) for s in sections],
        "total": sum(per_year.values()),
    }


def as_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("année"), _("centre"), _("rubrique"), _("contenus mis en vitrine")])
    labels = dict(Section.choices)
    for year, centre, section, count in rows:
        writer.writerow([year, centre, str(labels.get(section, section)), count])
    return out.getvalue()


def yearly_section(sites, year):
    """The yearly activity report's section (stats' `register_report_section` hook):
    items first approved for the national front page in the year, per section, for the
    site of the centre that proposed them (the national site for the network's own)."""
    root_to_site = {site.root_page_id: site.pk for site in sites}
    # The network's own items (no centre) count for the national site, when covered.
    default = next((site.pk for site in sites if site.is_default_site), None)
    figures = {section.value: {} for section in Section}
    for row in (
        Proposal.objects.showcased()
        .filter(approved_at__year=year)
        .values("centre__home_page_id", "section")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        home = row["centre__home_page_id"]
        site_id = root_to_site.get(home) if home else default
        if site_id is None:
            continue
        by_site = figures.setdefault(row["section"], {})
        by_site[site_id] = by_site.get(site_id, 0) + row["count"]
    return {
        "key": "showcase",
        "title": _("Mis en vitrine sur le portail national"),
        "order": 45,
        "figures": [
            {"key": section.value, "label": str(section.label), "by_site": figures[section.value]}
            for section in Section
        ],
        "note": _(
            "Contenus acceptés pour la une du portail national dans l’année (première "
            "acceptation), comptés pour le centre qui les a proposés."
        ),
    }
