"""Nightly: roll up every closed day, rotate the salt, delete salts older than 48 hours."""

from django.core.management.base import BaseCommand

from portal.jobs import RecordedJob
from stats.privacy import delete_expired_salts, local_day, salt_for
from stats.rollup import roll_up


class Command(RecordedJob, BaseCommand):
    help = "Agrège les jours clos des statistiques et efface les sels de plus de 48 heures."

    def handle(self, *args, **options):
        days = roll_up()
        salt_for(local_day())
        deleted = delete_expired_salts()
        self.stdout.write(f"rolled up {days} site-days; deleted {deleted} expired salts")
