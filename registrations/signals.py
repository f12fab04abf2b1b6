"""Registrants hear of what happens to their event: a publication that moves its dates
mails each of them the new dates (and a new calendar); unpublishing or deleting it mails
them that it is cancelled. The dates they were told are kept on the opening
(`notified_dates`, per session), written when the first person registers to a session."""

import json

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from agenda.models import EventPage

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


@receiver(page_unpublished, sender=EventPage)
def unpublished(sender, instance, **kwargs):
    # The registrants stay (until erased): the mail is rebuilt from them when sent.
    for registrant_id in seat_holders(instance):
        mails.queue(mails.CANCELLED, registrant_id, [instance.pk])


@receiver(pre_delete, sender=EventPage)
def deleted(sender, instance, **kwargs):
    if instance.live:  # a live page deleted: cancelled (an unpublished one was already)
        cancelled(instance)


def cancelled(event):
    """Mails every registrant of an event being deleted that it is cancelled. Their
    seats (and registrants, with the event's opening) go with the page: the mail waits
    in a notice row, deleted once sent (`mails.queue_farewell`)."""
    site = event.get_site()
    for email, name in (
        Seat.objects.filter(event=event)
        .exclude(registrant__email="")
        .values_list("registrant__email", "registrant__name")
        .distinct()
    ):
        mails.queue_farewell(
            email,
            f"Événement annulé : {event.title}",
            f"Bonjour{' ' + name if name else ''},\n\nL’événement « {event.title} » auquel "
            "vous étiez inscrit(e) est annulé.\n\nVos coordonnées seront effacées, comme "
            "après tout événement.\n",
            site.pk if site else None,
        )
