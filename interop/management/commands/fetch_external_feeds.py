"""manage.py fetch_external_feeds: fetch every outside feed shown on the sites (the
press panorama...). Scheduled (docs/deployment.md); pages never fetch them."""

from django.core.management.base import BaseCommand, CommandError

from interop.external_feeds import refresh
from interop.models import ExternalFeed
from portal.jobs import RecordedJob


class Command(RecordedJob, BaseCommand):
    help = "Récupère les flux externes (RSS/Atom) affichés sur les sites."

    def handle(self, *args, **options):
        failures = []
        for feed in ExternalFeed.objects.all():
            reason = refresh(feed)
            if reason is None:
                self.stdout.write(f"{feed.name} : {len(feed.items)} éléments")
            else:
                failures.append(f"{feed.name} : {reason}")
                self.stderr.write(f"{feed.name} : {reason} (derniers éléments conservés)")
        if failures:
            # The others were fetched; the run is recorded as failed, /health/ shows it.
            raise CommandError("; ".join(failures))
