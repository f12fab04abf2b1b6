"""The yearly activity report of one site or of the network, as a table, CSV, JSON,
DOCX or XLSX (docs/statistics.md)."""

import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wagtail.models import Site

from stats.documents import as_docx_bytes, as_xlsx_bytes
from stats.yearly import HEADLINE, yearly_report

NETWORK = "reseau"


class Command(BaseCommand):
    help = (
        "Rapport d'activité annuel d'un site ou du réseau : audience, événements, "
        "publications, groupes de travail et sections des autres applications, "
        "comparés à une année antérieure."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            default=NETWORK,
            help=(
                "host name of a site (e.g. irev.reseau-crpv.fr), "
                f"or '{NETWORK}' (default) for the network: the sum of every site"
            ),
        )
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument(
            "--compare",
            type=int,
            default=None,
            help="year to compare with (default: the latest earlier year with figures)",
        )
        parser.add_argument(
            "--format", choices=["table", "csv", "json", "docx", "xlsx"], default="table"
        )
        parser.add_argument(
            "--output", default="-", help="file for docx/xlsx (default: standard output)"
        )

    def handle(self, *args, site, year, compare, format, output, **options):
        if not 1990 <= year <= 9999 or (compare is not None and not 1990 <= compare <= 9999):
            raise CommandError("--year, --compare: four digits, e.g. 2025.")
        if site == NETWORK:
            site_ids = list(Site.objects.values_list("pk", flat=True))
        else:
            site_ids = list(Site.objects.filter(hostname=site).values_list("pk", flat=True))
            if not site_ids:
                known = ", ".join(
                    Site.objects.order_by("hostname").values_list("hostname", flat=True)
                )
                raise CommandError(f"Unknown site {site!r}. Known: {known}, or {NETWORK}.")
        data = yearly_report(site_ids, year, network=site == NETWORK, compare=compare)
        if format in ("docx", "xlsx"):
            content = (as_docx_bytes if format == "docx" else as_xlsx_bytes)(data)
            if output == "-":
                sys.stdout.buffer.write(content)
            else:
                with open(output, "wb") as handle:
                    handle.write(content)
            return
        getattr(self, f"write_{format}")(data)

    def write_json(self, data):
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def write_csv(self, data):
        writer = csv.writer(self.stdout)
        writer.writerow(["figure", data["year"], data["previous_year"]["year"]])
        for key in HEADLINE:
            writer.writerow([key, data[key], data["previous_year"][key]])
        writer.writerow([])
        writer.writerow(["site", "path", "page_views", "visitors"])
        for line in data["pages"]:
            writer.writerow([line["site"], line["path"], line["page_views"], line["visitors"]])

    def write_table(self, data):
        previous = data["previous_year"]
        out = self.stdout
        out.write(f"{data['title']}")
        out.write(f"{'':28}{data['year']:>12}{previous['year']:>12}")
        for key in HEADLINE:
            now, before = data[key], previous[key]
            out.write(
                f"{key:28}{'' if now is None else now:>12}{'' if before is None else before:>12}"
            )
        out.write("")
        out.write(data["method"])
        for section in data["sections"][1:]:
            out.write("")
            out.write(section["title"])
            for figure in section["figures"]:
                out.write(
                    f"  {figure['label'][:40]:42}{figure['value']!s:>10}{figure['previous']!s:>10}"
                )
        out.write("")
        width = max([len(line["path"]) for line in data["pages"]] + [4])
        out.write(f"{'site':30}  {'path':{width}}  {'page_views':>10}  {'visitors':>8}")
        for line in data["pages"]:
            out.write(
                f"{line['site']:30}  {line['path']:{width}}  {line['page_views']:>10}  "
                f"{line['visitors']:>8}"
            )
