"""Wagtail's `publish_scheduled` (pages scheduled to go live, or to expire), its runs
recorded for `/health/` (portal.jobs). The portal app comes before Wagtail's in
INSTALLED_APPS, so `manage.py publish_scheduled` is this one."""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from portal.jobs import RecordedJob


class Command(RecordedJob, WagtailCommand):
    pass
