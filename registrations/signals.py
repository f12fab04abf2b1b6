"""Registrants hear of what happens to their event: a publication that moves its dates
mails each of them the new dates (and a new calendar); unpublishing or deleting it mails
them that it is cancelled. A cycle's registrants hear of it once when the cycle itself is
unpublished or deleted (not once per session); a session cancelled alone (unpublished or
deleted, its cycle staying) mails its own registrants, naming the session and its
cycle. The dates they were told are kept on the opening (`notified_dates`, per session),
written when the first person registers to a session."""

import json

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from agenda.models import EventPage, EventSeriesPage

from . import mails
from .models import Opening, Seat


def told(opening) -> dict:
    try:
        return json.loads(opening.notified_dates or "{}")
    except ValueError:
        return {}


def dates_of(event) -> str:
    # Instants compared as such: the same start reads +00:00 from the database and
    # +01:00 once recomputed from the typed date.
    start = int(event.starts_at.timestamp()) if event.starts_at else ""
    end = int(event.ends_at.timestamp()) if event.ends_at else ""
    return f"{start}/{end}/{event.all_day}"


def remember_dates(opening, events):
    """The dates registrants are told (call with the opening locked)."""
    known = told(opening)
    missing = {str(e.pk): dates_of(e) for e in events if str(e.pk) not in known}
    if missing:
        known.update(missing)
        opening.notified_dates = json.dumps(known)
        # An update, not a save: saving an opening renews every cached page (`apps`).
        Opening.objects.filter(pk=opening.pk).update(notified_dates=opening.notified_dates)


def openings_of(event):
    from .booking import opening_for

    opening = opening_for(event)
    return [opening] if opening else []


@receiver(post_save, sender=Opening)
@receiver(post_delete, sender=Opening)
def opening_changed(sender, instance, **kwargs):
    """An event page shows its form once the opening exists, and its new settings once
    saved: the cached pages of its sites are renewed (and `booking.opening_paths`)."""
    from .booking import renew_pages

    # Deleted with its page: the page's deletion renewed every site already.
    if Page.objects.filter(pk=instance.page_id).exists():
        renew_pages(instance)


@receiver(page_published, sender=EventPage)
def dates_changed(sender, instance, **kwargs):
    for opening in openings_of(instance):
        known = told(opening)
        key = str(instance.pk)
        if key not in known or known[key] == dates_of(instance):
            continue
        known[key] = dates_of(instance)
        Opening.objects.filter(pk=opening.pk).update(notified_dates=json.dumps(known))
        for registrant_id in seat_holders(instance):
            mails.queue(mails.CHANGED, registrant_id, [instance.pk])


def seat_holders(event) -> list[int]:
    return list(Seat.objects.filter(event=event).values_list("registrant_id", flat=True).distinct())


def cycle_opening(event):
    """The opening of the cycle this event is a session of (registrations taken on the
    cycle), else None."""
    opening = next(iter(openings_of(event)), None)
    return opening if opening is not None and opening.page_id != event.pk else None


def deleted_with(page, origin) -> bool:
    """Whether `page` goes in the same deletion (`origin`: the queryset or the page whose
    deletion sends the signals; Wagtail deletes a page and its descendants as one
    queryset)."""
    if isinstance(origin, QuerySet):
        return origin.filter(pk=page.pk).exists()
    path = getattr(origin, "path", "")
    return bool(path) and page.path.startswith(path)


@receiver(page_unpublished, sender=EventPage)
def unpublished(sender, instance, **kwargs):
    opening = cycle_opening(instance)
    if opening is not None and not opening.page.live:
        # The cycle was unpublished first (Wagtail unpublishes a page before its
        # descendants): its registrants were told once, for the whole cycle.
        return
    # The registrants stay (until erased): the mail is rebuilt from them when sent. A
    # session of a live cycle is cancelled alone: its mail names it, not the cycle.
    kind = mails.CANCELLED if opening is None else mails.SESSION_CANCELLED
    for registrant_id in seat_holders(instance):
        mails.queue(kind, registrant_id, [instance.pk])


@receiver(page_unpublished, sender=EventSeriesPage)
def cycle_unpublished(sender, instance, **kwargs):
    """A cycle unpublished: one mail per registrant of its opening, for all their seats."""
    seats = Seat.objects.filter(registrant__opening__page_id=instance.pk)
    held = {}
    for registrant_id, event_id in seats.values_list("registrant_id", "event_id"):
        held.setdefault(registrant_id, []).append(event_id)
    for registrant_id, event_ids in held.items():
        mails.queue(mails.CANCELLED, registrant_id, event_ids)


@receiver(pre_delete, sender=EventPage)
def deleted(sender, instance, origin=None, **kwargs):
    if not instance.live:  # an unpublished page was cancelled already
        return
    opening = cycle_opening(instance)
    if opening is not None and (not opening.page.live or deleted_with(opening.page, origin)):
        return  # the cycle's registrants are (or were) told once, for the whole cycle
    cycle = opening.page if opening is not None else None
    cancelled(instance, Seat.objects.filter(event=instance), cycle)


@receiver(pre_delete, sender=EventSeriesPage)
def cycle_deleted(sender, instance, **kwargs):
    if instance.live:
        cancelled(instance, Seat.objects.filter(registrant__opening__page_id=instance.pk))


def cancelled(page, seats, cycle=None):
    """Mails every registrant holding one of `seats` (of an event or a cycle being
    deleted, or of a session of the live `cycle`) that it is cancelled, once per
    address. Their seats (and registrants, with the page's opening) go with the page:
    the mail waits in a notice row, deleted once sent (`mails.queue_farewell`)."""
    site = page.get_site()
    for email, name in (
        seats.exclude(registrant__email="")
        .values_list("registrant__email", "registrant__name")
        .order_by()  # the seats' ordering would make each seat a distinct row
        .distinct()
    ):
        subject, body = mails.farewell(page, name, cycle)
        mails.queue_farewell(email, subject, body, site.pk if site else None)
