"""manage.py import_ical: import the iCalendar feed of every agenda that has one (or of
the given agendas). Meant for a scheduled job: see docs/interop.md."""

import logging

from django.core.management.base import BaseCommand, CommandError

from interop.ical_import import import_feed, record_run
from interop.models import AgendaFeed
from interop.report import ImportFailed
from portal.jobs import RecordedJob

logger = logging.getLogger(__name__)


class Command(RecordedJob, BaseCommand):
    help = "Importe les flux iCalendar des agendas des centres (événements identifiés par UID)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--agenda",
            type=int,
            action="append",
            help="Identifiant de la page d'agenda (répétable) ; par défaut tous.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Montrer ce qui serait fait, sans rien enregistrer.",
        )

    def handle(self, *args, agenda=None, dry_run=False, **options):
        feeds = AgendaFeed.objects.filter(enabled=True).select_related("agenda")
        if agenda:
            feeds = feeds.filter(agenda_id__in=agenda)
        failures = 0
        for feed in feeds:
            label = f"{feed.agenda.url_path} ← {feed.url}"
            try:
                report = import_feed(feed, dry_run=dry_run)
            except ImportFailed as error:
                failures += 1
                lines = [f"échec, rien n'a été modifié : {error}"]
                self.stderr.write(f"{label}\n  {lines[0]}")
            except Exception as error:
                # A fault of ours or of a library on one feed: the feed's record says so,
                # the traceback goes to the log, and the other feeds are still imported.
                logger.exception("iCalendar import of %s failed", feed.url)
                failures += 1
                lines = [f"échec inattendu, rien n'a été modifié : {type(error).__name__}"]
                self.stderr.write(f"{label}\n  {lines[0]}")
            else:
                lines = report.lines()
                self.stdout.write(label + "".join(f"\n  {line}" for line in lines))
            if not dry_run:
                record_run(feed, lines)
        if failures:
            raise CommandError(f"{failures} flux en échec (voir ci-dessus)")
