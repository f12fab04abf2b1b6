"""The registrants' mails, sent in the background (portal.tasks, docs/tasks.md):
confirmation (with the event's `.ics`), waiting list, promotion, reminder the day
before (with the connection link of an online event), date change and cancellation.
Every mail carries the personal link to cancel and erase (`tokens`).

Queued when the transaction that changed the seats commits (`queue`): a registration
rolled back mails nobody."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from wagtail.models import Site

from agenda.feeds import calendar_response
from agenda.models import EventPage
from agenda.templatetags.agenda_tags import event_when
from newsletter.render import sender
from portal.tasks import background_task

from .models import Notice, Registrant, Seat
from .tokens import cancel_token

CONFIRMATION, PROMOTION, REMINDER, CHANGED, CANCELLED = (
    "confirmation",
    "promotion",
    "reminder",
    "changed",
    "cancelled",
)


def queue(kind: str, registrant_id: int, event_ids: list[int]):
    transaction.on_commit(lambda: send.enqueue(kind, registrant_id, list(event_ids)))


def queue_message(registrant_id: int, subject: str, body: str):
    """An editor's message to one registrant; their cancellation link is added when
    sent (nothing is sent if they cancelled meanwhile: the notice goes with them)."""
    notice = Notice.objects.create(registrant_id=registrant_id, subject=subject, body=body)
    transaction.on_commit(lambda: send_notice.enqueue(notice.pk))


def queue_farewell(email: str, subject: str, body: str, site_id):
    """A mail whose event and registrant are being deleted: the text waits in a notice."""
    notice = Notice.objects.create(email=email, subject=subject, body=body, site_id=site_id)
    transaction.on_commit(lambda: send_notice.enqueue(notice.pk))


@background_task
def send_notice(notice_id: int) -> int:
    """One notice, then its row is deleted; 0 when it is gone (its registrant cancelled)
    or its registrant's details were erased meanwhile."""
    notice = Notice.objects.select_related("registrant__opening__page").filter(pk=notice_id)
    notice = notice.first()
    if notice is None:
        return 0
    registrant = notice.registrant
    if registrant is not None:
        email, body = registrant.email, notice.body + "\n\n" + cancel_url(registrant) + "\n"
        site = registrant.opening.page.get_site()
    else:
        email, body = notice.email, notice.body
        site = Site.objects.filter(pk=notice.site_id).first()
    if email:
        EmailMultiAlternatives(notice.subject, body, sender(site) if site else None, [email]).send()
    notice.delete()
    return 1 if email else 0


def cancel_url(registrant) -> str:
    site = registrant.opening.page.get_site()
    root = site.root_url.rstrip("/") if site else ""
    return root + reverse("registrations:cancel", args=[cancel_token(registrant.pk)])


def ics(events) -> bytes:
    title = events[0].title if len(events) == 1 else "Inscriptions"
    return calendar_response([e.pk for e in events], title, None, "evenement.ics").content


def _line(event) -> str:
    return f"{event.title} — {event_when(event)}"


def compose(kind, registrant, events, seats) -> tuple[str, list[str], bool]:
    """Subject, paragraphs, and whether to attach the calendar."""
    title = registrant.opening.page.title
    confirmed = [s.event for s in seats if s.status == Seat.CONFIRMED]
    waiting = [s.event for s in seats if s.status == Seat.WAITING]
    if kind == CONFIRMATION:
        parts = []
        if confirmed:
            parts.append("Votre inscription est confirmée pour :")
            parts += [f"• {_line(e)}" for e in confirmed]
        if waiting:
            parts.append(
                "Complet : vous êtes sur la liste d’attente pour les séances suivantes. Si une "
                "place se libère, elle vous revient dans l’ordre des inscriptions et vous "
                "recevrez un courriel :"
            )
            parts += [f"• {_line(e)}" for e in waiting]
        subject = f"Inscription confirmée : {title}" if confirmed else f"Liste d’attente : {title}"
        return subject, parts, bool(confirmed)
    if kind == PROMOTION:
        parts = ["Une place s’est libérée : vous êtes inscrit(e) à :"]
        parts += [f"• {_line(e)}" for e in confirmed]
        return f"Une place s’est libérée : {title}", parts, True
    if kind == REMINDER:
        parts = ["Rappel : vous êtes inscrit(e) à :"]
        for event in confirmed:
            parts.append(f"• {_line(event)}")
            if event.online_url and event.attendance != "in_person":
                parts.append(f"Lien de connexion : {event.online_url}")
            elif event.venue or event.city:
                parts.append("Lieu : " + ", ".join(p for p in (event.venue, event.city) if p))
        return f"Rappel : {title}", parts, False
    if kind == CHANGED:
        parts = ["Les dates de l’événement auquel vous êtes inscrit(e) ont changé :"]
        parts += [f"• {_line(e)}" for e in events]
        parts.append("Si vous ne pouvez plus venir, annulez par le lien ci-dessous.")
        return f"Changement de date : {title}", parts, bool(confirmed)
    parts = [f"L’événement « {title} » auquel vous étiez inscrit(e) est annulé."]
    return f"Événement annulé : {title}", parts, False


@background_task
def send(kind: str, registrant_id: int, event_ids: list[int]) -> int:
    """One mail to one registrant; 0 when the registration is gone meanwhile."""
    registrant = Registrant.objects.select_related("opening__page").filter(pk=registrant_id).first()
    if registrant is None or not registrant.email:
        return 0
    seats = list(
        registrant.seats.filter(event_id__in=event_ids)
        .select_related("event")
        .order_by("event__starts_at")
    )
    events = [s.event for s in seats] or list(EventPage.objects.filter(pk__in=event_ids))
    if kind != CANCELLED and not seats:
        return 0
    if kind == CANCELLED and not events:
        # The events were deleted: their registrants were told by a notice
        # (`signals.cancelled`), naming them, which this mail no longer can.
        return 0
    subject, parts, attach = compose(kind, registrant, events, seats)
    link = cancel_url(registrant)
    page = registrant.opening.page
    site = page.get_site()
    hello = f"Bonjour{' ' + registrant.name if registrant.name else ''},"
    footer = (
        "Pour annuler votre inscription et effacer vos coordonnées (sans compte) :\n" + link
        if kind != CANCELLED
        else "Vos coordonnées seront effacées, comme après tout événement."
    )
    url = "" if kind == CANCELLED else page.full_url or ""  # an unpublished page: 404
    body = "\n\n".join([hello, *parts, url, footer]) + "\n"
    message = EmailMultiAlternatives(subject, body, sender(site), [registrant.email])
    html = "".join(f"<p>{escape(p)}</p>" for p in [hello, *parts])
    if kind != CANCELLED:
        label = "Annuler mon inscription et effacer mes données"
        html += f'<p><a href="{escape(link)}">{label}</a></p>'
    message.attach_alternative(f'<html lang="fr"><body>{html}</body></html>', "text/html")
    if attach:
        confirmed = [s.event for s in seats if s.status == Seat.CONFIRMED]
        message.attach(f"{page.slug}.ics", ics(confirmed), "text/calendar")
    message.send()
    return 1
