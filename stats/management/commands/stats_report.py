"""The yearly figures the network's activity report needs, for one site or the network."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wagtail.models import Site

from stats.yearly import HEADLINE, yearly_report

NETWORK = "reseau"


class Command(BaseCommand):
    help = (
        "Visiteurs, visites et pages vues d'une année (et de la précédente), "
        "et le tableau par page."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            required=True,
            help=(
                "host name of a site (e.g. irev.reseau-crpv.fr), "
                f"or '{NETWORK}' for the sum of every site"
            ),
        )
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args, site, year, format, **options):
        if site == NETWORK:
            site_ids = list(Site.objects.values_list("pk", flat=True))
        else:
            site_ids = list(Site.objects.filter(hostname=site).values_list("pk", flat=True))
            if not site_ids:
                known = ", ".join(
                    Site.objects.order_by("hostname").values_list("hostname", flat=True)
                )
                raise CommandError(f"Unknown site {site!r}. Known: {known}, or {NETWORK}.")
        if not 1990 <= year <= 9999:
            raise CommandError("--year: four digits, e.g. 2025.")
        data = yearly_report(site_ids, year)
        getattr(self, f"write_{format}")(data)

    def write_json(self, data):
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def write_csv(self, data):
        writer = csv.writer(self.stdout)
        writer.writerow(["figure", data["year"], data["previous_year"]["year"]])
        for key in HEADLINE:
            writer.writerow([key, data[key], data["previous_year"][key]])
        writer.writerow([])
        writer.writerow(["path", "page_views", "visitors"])
        for line in data["pages"]:
            writer.writerow([line["path"], line["page_views"], line["visitors"]])

    def write_table(self, data):
        previous = data["previous_year"]
        out = self.stdout
        out.write(f"{'':28}{data['year']:>12}{previous['year']:>12}")
        for key in HEADLINE:
            out.write(f"{key:28}{data[key]:>12}{previous[key]:>12}")
        out.write(
            "Visitors are daily uniques summed over the year (the visitor key changes every day)."
        )
        out.write("")
        width = max([len(line["path"]) for line in data["pages"]] + [4])
        out.write(f"{'path':{width}}  {'page_views':>10}  {'visitors':>8}")
        for line in data["pages"]:
            out.write(f"{line['path']:{width}}  {line['page_views']:>10}  {line['visitors']:>8}")
