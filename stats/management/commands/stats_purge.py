"""Monthly (or nightly): delete raw events older than 13 months, after rolling them up."""

from django.core.management.base import BaseCommand

from portal.jobs import RecordedJob
from stats.rollup import purge_events


class Command(RecordedJob, BaseCommand):
    help = "Efface les événements bruts de plus de 13 mois (les totaux par jour restent)."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {purge_events()} raw events older than 13 months")
