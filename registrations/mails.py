"""The registrants' mails, sent in the background (portal.tasks, docs/tasks.md):
confirmation (with the event's `.ics`), waiting list, promotion, reminder the day
before (with the connection link of an online event), date change and cancellation (of
an event, a cycle, or one session of a cycle). Every mail carries the personal link to
cancel and erase (`tokens`).

Queued when the transaction that changed the seats commits (`queue`): a registration
rolled back mails nobody.

The texts are gettext's, French msgids, rendered in the language of the page the person
registered on (`language_of`): the worker serves no request, so nothing activates a
language for it (it would otherwise write in whatever language the process was left in,
or the default)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from wagtail.models import Site

from agenda.feeds import calendar_response
from agenda.models import EventPage
from agenda.templatetags.agenda_tags import event_when
from newsletter.render import sender
from portal.i18n import locale_code
from portal.tasks import background_task

from .models import Notice, Registrant, Seat
from .tokens import cancel_token

CONFIRMATION, PROMOTION, REMINDER, CHANGED, CANCELLED, SESSION_CANCELLED = (
    "confirmation",
    "promotion",
    "reminder",
    "changed",
    "cancelled",
    # One session of a cycle unpublished while the cycle stays: the mail names the
    # session (and its cycle), the person's other sessions go on.
    "session_cancelled",
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


def language_of(page) -> str:
    """The language a page's registrants are written in: its tree's (every site's
    pages are French today; registrations opened on an English page would mail in
    English)."""
    code = locale_code(page.locale_id)
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def cancel_url(registrant) -> str:
    site = registrant.opening.page.get_site()
    root = site.root_url.rstrip("/") if site else ""
    return root + reverse("registrations:cancel", args=[cancel_token(registrant.pk)])


def ics(events) -> bytes:
    title = events[0].title if len(events) == 1 else _("Inscriptions")
    return calendar_response([e.pk for e in events], title, None, "evenement.ics").content


def _line(event) -> str:
    return f"• {event.title} — {event_when(event)}"


def greeting(name: str) -> str:
    return _("Bonjour %(name)s,") % {"name": name} if name else _("Bonjour,")


def cancellation(title: str, cycle: str = "") -> tuple[str, str]:
    """Subject and sentence saying that the event (or cycle) `title` is cancelled, or,
    given its `cycle`'s title, that this session of the cycle is."""
    subject = _("Événement annulé : %(title)s") % {"title": title}
    if cycle:
        text = _(
            "La séance « %(session)s » du cycle « %(cycle)s », à laquelle vous étiez "
            "inscrit(e), est annulée."
        ) % {"session": title, "cycle": cycle}
    else:
        text = _("L’événement « %(title)s » auquel vous étiez inscrit(e) est annulé.") % {
            "title": title
        }
    return subject, text


def farewell(page, name: str, cycle=None) -> tuple[str, str]:
    """Subject and text of the mail to a registrant of `page` (an event, a cycle, or a
    session of `cycle`) being deleted: written now, as the registrant goes with it
    (`signals.cancelled`), in the page's language."""
    with translation.override(language_of(cycle or page)):
        subject, text = cancellation(page.title, cycle.title if cycle else "")
        erased = _("Vos coordonnées seront effacées, comme après tout événement.")
        return subject, "\n\n".join([greeting(name), text, erased]) + "\n"


def compose(kind, registrant, events, seats) -> tuple[str, list[str], bool]:
    """Subject, paragraphs, and whether to attach the calendar (in the active language)."""
    title = registrant.opening.page.title
    named = {"title": title}
    confirmed = [s.event for s in seats if s.status == Seat.CONFIRMED]
    waiting = [s.event for s in seats if s.status == Seat.WAITING]
    if kind == CONFIRMATION:
        parts = []
        if confirmed:
            parts.append(_("Votre inscription est confirmée pour :"))
            parts += [_line(e) for e in confirmed]
        if waiting:
            parts.append(
                _(
                    "Complet : vous êtes sur la liste d’attente pour les séances suivantes. "
                    "Si une place se libère, elle vous revient dans l’ordre des inscriptions "
                    "et vous recevrez un courriel :"
                )
            )
            parts += [_line(e) for e in waiting]
        if confirmed:
            subject = _("Inscription confirmée : %(title)s") % named
        else:
            subject = _("Liste d’attente : %(title)s") % named
        return subject, parts, bool(confirmed)
    if kind == PROMOTION:
        parts = [_("Une place s’est libérée : vous êtes inscrit(e) à :")]
        parts += [_line(e) for e in confirmed]
        return _("Une place s’est libérée : %(title)s") % named, parts, True
    if kind == REMINDER:
        parts = [_("Rappel : vous êtes inscrit(e) à :")]
        for event in confirmed:
            parts.append(_line(event))
            if event.online_url and event.attendance != "in_person":
                parts.append(_("Lien de connexion : %(url)s") % {"url": event.online_url})
            elif event.venue or event.city:
                place = ", ".join(p for p in (event.venue, event.city) if p)
                parts.append(_("Lieu : %(place)s") % {"place": place})
        return _("Rappel : %(title)s") % named, parts, False
    if kind == CHANGED:
        parts = [_("Les dates de l’événement auquel vous êtes inscrit(e) ont changé :")]
        parts += [_line(e) for e in events]
        parts.append(_("Si vous ne pouvez plus venir, annulez par le lien ci-dessous."))
        return _("Changement de date : %(title)s") % named, parts, bool(confirmed)
    if kind == SESSION_CANCELLED:
        subject, text = cancellation(events[0].title, cycle=title)
        return subject, [text, *(_line(e) for e in events)], False
    subject, text = cancellation(title)
    return subject, [text], False


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
    if kind not in (CANCELLED, SESSION_CANCELLED) and not seats:
        return 0
    if kind in (CANCELLED, SESSION_CANCELLED) and not events:
        # The events were deleted: their registrants were told by a notice
        # (`signals.cancelled`), naming them, which this mail no longer can.
        return 0
    page = registrant.opening.page
    with translation.override(language_of(page)):
        message = _message(kind, registrant, page, events, seats)
    message.send()
    return 1


def _message(kind, registrant, page, events, seats) -> EmailMultiAlternatives:
    subject, parts, attach = compose(kind, registrant, events, seats)
    link = cancel_url(registrant)
    hello = greeting(registrant.name)
    if kind == CANCELLED:
        footer = _("Vos coordonnées seront effacées, comme après tout événement.")
    else:
        label = _("Pour annuler votre inscription et effacer vos coordonnées (sans compte) :")
        footer = label + "\n" + link
    url = "" if kind == CANCELLED else page.full_url or ""  # an unpublished page: 404
    body = "\n\n".join([hello, *parts, url, footer]) + "\n"
    message = EmailMultiAlternatives(subject, body, sender(page.get_site()), [registrant.email])
    html = "".join(f"<p>{escape(p)}</p>" for p in [hello, *parts])
    if kind != CANCELLED:
        label = _("Annuler mon inscription et effacer mes données")
        html += f'<p><a href="{escape(link)}">{escape(label)}</a></p>'
    language = translation.get_language()
    message.attach_alternative(f'<html lang="{language}"><body>{html}</body></html>', "text/html")
    if attach:
        confirmed = [s.event for s in seats if s.status == Seat.CONFIRMED]
        message.attach(f"{page.slug}.ics", ics(confirmed), "text/calendar")
    return message
