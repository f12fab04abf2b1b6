"""The daily job (`manage.py registrations_daily`, docs/registrations.md): reminders the
day before, and the erasure of registrants' details once the event is long past.

- Reminders: every confirmed seat of a live event that starts tomorrow (the event's own
  day, in its time zone) gets one mail, with the connection link of an online event.
  `reminded_at` is set in the transaction that queues the mail: a second run the same
  day (a timer catching up) sends nothing twice.
- Erasure: REGISTRATIONS_KEEP_DAYS (365 by default) after an opening's last session
  ended, its registrants' address, name, organisation, accessibility needs and answer
  are erased; the profile, the territory and presence stay, as counts for the figures.
  The same run deletes the finished results of this app's background tasks (their
  tracebacks may quote an address) and the notices left unsent for a week."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from agenda.models import EventPage
from portal.tasks import delete_finished

from . import mails
from .models import Notice, Registrant, Seat, erasure


def remind(now=None) -> int:
    now = now or timezone.now()
    # Candidates: events starting within two days; "tomorrow" is then decided in each
    # event's own time zone (Réunion's tomorrow is not Paris's).
    events = EventPage.objects.live().filter(starts_at__gt=now, starts_at__lt=now + timedelta(2))
    due = []
    for event in events:
        zone = ZoneInfo(event.time_zone or "Europe/Paris")
        if event.starts_at.astimezone(zone).date() == now.astimezone(zone).date() + timedelta(1):
            due.append(event.pk)
    sent = 0
    with transaction.atomic():
        seats = (
            Seat.objects.select_for_update()
            .filter(event_id__in=due, status=Seat.CONFIRMED, reminded_at__isnull=True)
            .exclude(registrant__email="")
        )
        for seat in seats:
            mails.queue(mails.REMINDER, seat.registrant_id, [seat.event_id])
            sent += 1
        Seat.objects.filter(pk__in=[s.pk for s in seats]).update(reminded_at=now)
    return sent


def erase(now=None) -> int:
    now = now or timezone.now()
    days = getattr(settings, "REGISTRATIONS_KEEP_DAYS", 365)
    cutoff = now - timedelta(days=days)
    ended = (
        Registrant.objects.filter(erased_at__isnull=True)
        .annotate(last=Max("seats__event__ends_at"))
        .filter(last__lt=cutoff)
        .values_list("pk", flat=True)
    )
    erased = Registrant.objects.filter(pk__in=list(ended)).update(**erasure(now))
    forget_tasks(now)
    return erased


def forget_tasks(now) -> None:
    """Finished mails leave no trace in the task queue; a notice unsent after a week
    (the worker sends within minutes) will not be: its text and address go too."""
    delete_finished("registrations.")
    Notice.objects.filter(created_at__lt=now - timedelta(days=7)).delete()
