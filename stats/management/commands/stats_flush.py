"""Move the queued page views (stats.queue) into the database now. The web processes do
it every STATS_FLUSH_SECONDS themselves; this is for STATS_FLUSH_SECONDS = 0, or to
empty the queue before maintenance."""

from django.core.management.base import BaseCommand

from stats.queue import flush, url


class Command(BaseCommand):
    help = "Enregistre en base les pages vues en attente dans la file Redis."

    def handle(self, *args, **options):
        if not url():
            self.stdout.write("no queue (STATS_QUEUE_URL empty): nothing to flush")
            return
        self.stdout.write(f"{flush()} events stored")
