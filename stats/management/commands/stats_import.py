"""Earlier years' audience figures from the previous tool (stats/imports.py): all or
nothing, the refused lines listed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stats.imports import read


class Command(BaseCommand):
    help = (
        "Importe les chiffres d'audience d'années passées (CSV : site;year;path;visitors;"
        "sessions;page_views;downloads;unique_downloads) : tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (UTF-8), or - for standard input")

    def handle(self, *args, file, **options):
        if file == "-":
            import sys

            text, source = sys.stdin.read(), "stdin"
        else:
            try:
                text, source = Path(file).read_text(encoding="utf-8-sig"), Path(file).name
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{file}: {error}") from error
        outcome = read(text, source=source)
        if not outcome.ok:
            for number, line, reason in outcome.refused:
                self.stderr.write(f"line {number}: {reason}  [{line}]")
            raise CommandError(f"{len(outcome.refused)} line(s) refused: nothing imported.")
        self.stdout.write(
            f"{outcome.years} site-year(s) and {outcome.pages} page line(s) imported."
        )
