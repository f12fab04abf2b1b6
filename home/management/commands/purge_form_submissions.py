"""Nightly: delete the forms' answers older than each form's retention (keep_days)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.jobs import RecordedJob


def purge_submissions(now=None) -> int:
    from home.form_pages import FormPage, SiteFormSubmission

    now = now or timezone.now()
    deleted = 0
    for page_id, keep_days in FormPage.objects.values_list("pk", "keep_days"):
        count, _ = SiteFormSubmission.objects.filter(
            page_id=page_id, submit_time__lt=now - timedelta(days=keep_days)
        ).delete()
        deleted += count
    return deleted


class Command(RecordedJob, BaseCommand):
    help = "Efface les réponses aux formulaires plus anciennes que leur durée de conservation."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {purge_submissions()} form submissions past their retention")
