"""Daily: reminders of tomorrow's events, erasure of past registrants' details."""

from django.core.management.base import BaseCommand

from portal.jobs import RecordedJob
from registrations.daily import erase, remind


class Command(RecordedJob, BaseCommand):
    help = (
        "Envoie le rappel des événements du lendemain aux inscrits et efface les "
        "coordonnées des inscrits des événements passés depuis plus d’un an."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"reminders queued: {remind()}")
        self.stdout.write(f"registrants erased: {erase()}")
