"""Earlier years' audience from the previous tool, imported per site so that the yearly
report compares with them: a CSV of yearly and per-page lines, all or nothing.

    site;year;path;visitors;sessions;page_views;downloads;unique_downloads
    reseau-crpv.fr;2023;;4283;7907;18334;;
    reseau-crpv.fr;2023;/;;;2401;;
    reseau-crpv.fr;2023;/les-crpv/;;;673;;

A line without path holds a site's figures for a year; a line with a path, one page's
(page views, visitors if known). Every (site, year) of the file needs exactly one
yearly line; importing it replaces what an earlier import held for that site and year.
Comma or semicolon separated; numbers may carry spaces as thousands separators."""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Site

from .models import ImportedPage, ImportedYear

COLUMNS = (
    "site",
    "year",
    "path",
    "visitors",
    "sessions",
    "page_views",
    "downloads",
    "unique_downloads",
)
REQUIRED = ("site", "year", "page_views")
NUMBERS = ("visitors", "sessions", "page_views", "downloads", "unique_downloads")
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Outcome:
    years: int = 0
    pages: int = 0
    # (line number, the line's text, the reason)
    refused: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def parse_number(text: str):
    cleaned = "".join(ch for ch in (text or "") if ch not in " \u00a0\u202f_")
    if cleaned == "":
        return None
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)


def read(text: str, allowed_sites=None, source: str = "") -> Outcome:
    """Check every line; store them all (one transaction) only if none is refused.
    `allowed_sites`: the sites the importing user may write (None: all)."""
    outcome = Outcome()
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    if not lines:
        outcome.refused.append((0, "", _("Fichier vide.")))
        return outcome
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    if missing or unknown:
        outcome.refused.append(
            (
                1,
                lines[0],
                _("En-tête : colonnes attendues %(columns)s.") % {"columns": ", ".join(COLUMNS)},
            )
        )
        return outcome
    sites = {site.hostname: site for site in Site.objects.all()}
    allowed = None if allowed_sites is None else {site.pk for site in allowed_sites}
    this_year = timezone.localdate().year
    years, pages, seen = {}, [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        text_line = delimiter.join(row)
        if len(row) > len(header):
            outcome.refused.append((number, text_line, _("Trop de colonnes.")))
            continue
        values = dict(zip(header, (cell.strip() for cell in row)))
        site = sites.get(values.get("site", ""))
        if site is None:
            outcome.refused.append((number, text_line, _("Site inconnu.")))
            continue
        if allowed is not None and site.pk not in allowed:
            outcome.refused.append((number, text_line, _("Site d’un autre centre.")))
            continue
        try:
            year = int(values.get("year", ""))
        except ValueError:
            year = 0
        if not 1990 <= year < this_year:
            outcome.refused.append(
                (number, text_line, _("Année : une année passée, sur quatre chiffres."))
            )
            continue
        try:
            numbers = {name: parse_number(values.get(name, "")) for name in NUMBERS}
        except ValueError as error:
            outcome.refused.append(
                (
                    number,
                    text_line,
                    _("Nombre illisible : « %(value)s ».") % {"value": error.args[0]},
                )
            )
            continue
        if numbers["page_views"] is None:
            outcome.refused.append((number, text_line, _("Pages vues manquantes.")))
            continue
        path = values.get("path", "")
        key = (site.pk, year, path)
        if key in seen:
            outcome.refused.append((number, text_line, _("Ligne en double.")))
            continue
        seen.add(key)
        if path:
            if not path.startswith("/") or len(path) > 255:
                outcome.refused.append(
                    (number, text_line, _("Adresse : un chemin commençant par « / »."))
                )
                continue
            pages.append((number, text_line, site, year, path, numbers))
        else:
            if numbers["visitors"] is None or numbers["sessions"] is None:
                outcome.refused.append(
                    (number, text_line, _("Ligne annuelle : visiteurs et visites requis."))
                )
                continue
            years[(site.pk, year)] = (site, numbers)
    for number, text_line, site, year, _path, _numbers in pages:
        if (site.pk, year) not in years:
            outcome.refused.append(
                (number, text_line, _("Pas de ligne annuelle pour ce site et cette année."))
            )
    if not years and not outcome.refused:
        outcome.refused.append((0, "", _("Aucune ligne à importer.")))
    if outcome.refused:
        return outcome
    with transaction.atomic():
        for site_id, year in years:
            ImportedYear.objects.filter(site_id=site_id, year=year).delete()
            ImportedPage.objects.filter(site_id=site_id, year=year).delete()
        ImportedYear.objects.bulk_create(
            ImportedYear(
                site=site,
                year=year,
                source=source[:255],
                **{name: numbers[name] or 0 for name in NUMBERS},
            )
            for (_pk, year), (site, numbers) in years.items()
        )
        ImportedPage.objects.bulk_create(
            ImportedPage(
                site=site,
                year=year,
                path=path,
                page_views=numbers["page_views"] or 0,
                visitors=numbers["visitors"],
            )
            for _number, _line, site, year, path, numbers in pages
        )
    outcome.years, outcome.pages = len(years), len(pages)
    return outcome


def network_csv(hostname: str, traffic: dict) -> str:
    """The CSV of `portal_traffic` (network/data/network.json) for the national site."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for year, figures in sorted(traffic.get("by_year", {}).items()):
        writer.writerow(
            [
                hostname,
                year,
                "",
                figures["visitors"],
                figures["sessions"],
                figures["page_views"],
                "",
                "",
            ]
        )
    for key, by_page in traffic.items():
        if key.startswith("page_views_by_page_"):
            year = key.rsplit("_", 1)[-1]
            for path, views in by_page.items():
                writer.writerow([hostname, year, path, "", "", views, "", ""])
    return out.getvalue()
