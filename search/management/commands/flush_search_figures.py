"""Every five minutes: the searches counted in Redis (search.figures) stored in QueryDay."""

from django.core.management.base import BaseCommand

from portal.jobs import RecordedJob
from search.figures import flush


class Command(RecordedJob, BaseCommand):
    help = "Enregistre les recherches comptées (Redis) dans les chiffres de recherche."

    def handle(self, *args, **options):
        self.stdout.write(f"stored {flush()} searches")
