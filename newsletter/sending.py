"""Sending, in the background (portal.tasks, docs/newsletter.md).

`start_letter` creates one Delivery row per confirmed, valid subscriber of the letter's
list (unique per letter and subscriber) and queues `send_batch`, in one transaction: the
queue is a table of the same database, so either both happen or neither. `send_batch`
sends up to NEWSLETTER_BATCH pending deliveries at NEWSLETTER_RATE mails a second over
one SMTP connection, marks each sent as soon as the server accepted it, then queues the
next batch. One batch runs at a time per letter (a lease on the letter, held by the
task's id), so a batch run again after a crash never races its successor.

A worker killed mid-batch: the batch runs again at restart (portal.tasks.reclaim) and
sends what is still pending; a mail the server accepted in the instant before its row
was marked (a few microseconds) is the one that could go twice.

Temporary failures (4xx, connection lost) are tried again later (NEWSLETTER_RETRY_SECONDS,
doubled each time, NEWSLETTER_MAX_ATTEMPTS at most); a permanent refusal of an address
(5xx) is a hard bounce: the address is deactivated."""

import smtplib
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from portal.tasks import background_task

from .models import Delivery, Letter, MailingList, Subscriber, Subscription
from .render import OPENS, UNSUBSCRIBE, render_html, render_text, sender, site_url
from .tokens import confirm_token, opens_token, unsubscribe_token


def setting(name, default):
    return getattr(settings, f"NEWSLETTER_{name}", default)


# --- Confirmation mails -------------------------------------------------------------


@background_task
def send_confirmation(subscriber_id: int, list_ids: list[int]) -> int:
    """The double opt-in mail, for the lists still pending (none: nothing is sent)."""
    subscriber = Subscriber.objects.select_related("site").filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.active:
        return 0
    pending = list(
        MailingList.objects.filter(
            pk__in=list_ids,
            subscriptions__subscriber=subscriber,
            subscriptions__status=Subscription.PENDING,
        )
    )
    if not pending:
        return 0
    site = subscriber.site
    link = site_url(
        site,
        reverse("newsletter:confirm", args=[confirm_token(subscriber.pk, [m.pk for m in pending])]),
    )
    names = ", ".join(m.name for m in pending)
    days = setting("CONFIRM_DAYS", 7)
    body = (
        f"Bonjour,\n\nQuelqu'un, sans doute vous, a demandé à recevoir « {names} » de "
        f"{site.site_name} à cette adresse.\n\nPour confirmer, ouvrez ce lien (valable "
        f"{days} jours) :\n{link}\n\nSi vous n'avez rien demandé, ignorez ce message : "
        "sans confirmation, vous ne recevrez rien et l'adresse sera oubliée.\n"
    )
    message = EmailMultiAlternatives(
        f"Confirmez votre inscription : {site.site_name}",
        body,
        sender(site),
        [subscriber.email],
    )
    message.attach_alternative(
        f'<html lang="fr"><body><p>Bonjour,</p><p>Quelqu\'un, sans doute vous, a demandé à '
        f"recevoir « {escape(names)} » de {escape(site.site_name)} à cette adresse.</p>"
        f'<p><a href="{escape(link)}">Confirmer mon inscription</a> (lien valable {days} '
        "jours)</p><p>Si vous n'avez rien demandé, ignorez ce message.</p></body></html>",
        "text/html",
    )
    message.send()
    return 1


# --- Letters ------------------------------------------------------------------------


def recipients(mailing_list):
    return Subscriber.objects.filter(
        active=True,
        subscriptions__mailing_list=mailing_list,
        subscriptions__status=Subscription.CONFIRMED,
    )


@background_task
def start_letter(letter_id: int, send_at: str | None = None) -> int:
    """Starts sending (now, or at the date it was scheduled for: a letter rescheduled
    since is left to its newer task). Returns how many deliveries were created."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None or letter.status not in (Letter.DRAFT, Letter.SCHEDULED):
            return 0
        if send_at is not None and (
            letter.send_at is None or letter.send_at.isoformat() != send_at
        ):
            return 0
        subscriber_ids = recipients(letter.mailing_list).values_list("pk", flat=True)
        Delivery.objects.bulk_create(
            [Delivery(letter=letter, subscriber_id=pk) for pk in subscriber_ids.iterator()],
            batch_size=1000,
            ignore_conflicts=True,
        )
        letter.status = Letter.SENDING
        letter.save(update_fields=["status"])
        send_batch.enqueue(letter.pk)
    return letter.deliveries.count()


def _take(letter_id: int, task_id: str) -> bool:
    now = timezone.now()
    lease = timedelta(seconds=setting("LEASE_SECONDS", 600))
    return bool(
        Letter.objects.filter(pk=letter_id, status=Letter.SENDING)
        .filter(Q(sending_task="") | Q(sending_task=task_id) | Q(sending_until__lt=now))
        .update(sending_task=task_id, sending_until=now + lease)
    )


def measuring(letter, delivery) -> str:
    """The measuring image and the link withdrawing the consent, for one delivery."""
    token = opens_token(delivery.pk)
    image = site_url(letter.site, reverse("newsletter:opened", args=[token]))
    withdraw = site_url(letter.site, reverse("newsletter:opens_withdraw", args=[token]))
    return (
        f'<p><a href="{escape(withdraw)}">Ne plus mesurer l\'ouverture de cette lettre</a></p>'
        f'<img src="{escape(image)}" width="1" height="1" alt="" style="display:block;border:0">'
    )


def consenting(letter, subscriber_ids) -> set[int]:
    """Who among these consented to the list's opens being measured (none when the list
    does not measure them)."""
    if not letter.mailing_list.count_opens:
        return set()
    return set(
        Subscription.objects.filter(
            mailing_list=letter.mailing_list_id,
            subscriber_id__in=subscriber_ids,
            opens_consent_at__isnull=False,
        ).values_list("subscriber_id", flat=True)
    )


def _message(letter, subscriber, html, text, connection, opens=""):
    mailing_list = letter.mailing_list
    link = site_url(
        letter.site,
        reverse(
            "newsletter:unsubscribe",
            args=[unsubscribe_token(subscriber.pk, letter.mailing_list_id)],
        ),
    )
    message = EmailMultiAlternatives(
        letter.subject,
        text.replace(UNSUBSCRIBE, link),
        sender(letter.site),
        [subscriber.email],
        connection=connection,
        headers={
            # RFC 2369 and RFC 8058: mail clients offer "unsubscribe", one POST, no login.
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"{mailing_list.name} <{mailing_list.slug}.{letter.site.hostname}>",
        },
    )
    html = html.replace(UNSUBSCRIBE, escape(link)).replace(OPENS, opens)
    message.attach_alternative(html, "text/html")
    return message


def _temporary(error) -> bool:
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _m in error.recipients.values()]
        return all(400 <= c < 500 for c in codes)
    if code is not None:
        return 400 <= code < 500
    return isinstance(error, (OSError, smtplib.SMTPServerDisconnected))


@background_task(takes_context=True)
def send_batch(context, letter_id: int) -> int:
    task_id = str(context.task_result.id)
    if not _take(letter_id, task_id):
        return 0  # another batch of this letter runs; it queues the next one
    letter = Letter.objects.select_related("mailing_list__site").get(pk=letter_id)
    now = timezone.now()
    batch = list(
        Delivery.objects.select_related("subscriber")
        .filter(letter=letter, status=Delivery.PENDING, next_attempt__lte=now)
        .order_by("pk")[: setting("BATCH", 50)]
    )
    sent = 0
    if batch:
        html, text = render_html(letter), render_text(letter)
        pause = 1 / setting("RATE", 10)
        connection = get_connection()
        measured = consenting(letter, [d.subscriber_id for d in batch])
        try:
            for delivery in batch:
                started = time.monotonic()
                subscriber = delivery.subscriber
                is_measured = subscriber.pk in measured
                opens = measuring(letter, delivery) if is_measured else ""
                try:
                    _message(letter, subscriber, html, text, connection, opens).send()
                except Exception as error:  # noqa: BLE001  (sorted just below)
                    _failed(delivery, error)
                    if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
                        connection.close()
                else:
                    Delivery.objects.filter(pk=delivery.pk).update(
                        status=Delivery.SENT,
                        sent_at=timezone.now(),
                        attempts=delivery.attempts + 1,
                        measured=is_measured,
                    )
                    sent += 1
                rest = pause - (time.monotonic() - started)
                if rest > 0:
                    time.sleep(rest)
        finally:
            connection.close()
    _next(letter, task_id)
    return sent


def _failed(delivery, error):
    attempts = delivery.attempts + 1
    reason = f"{type(error).__name__}: {error}"[:300]
    if _temporary(error) and attempts < setting("MAX_ATTEMPTS", 5):
        delay = setting("RETRY_SECONDS", 300) * 2 ** (attempts - 1)
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, error=reason, next_attempt=timezone.now() + timedelta(seconds=delay)
        )
    elif _temporary(error):
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, error=reason, status=Delivery.FAILED
        )
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, error=reason, status=Delivery.BOUNCED
        )
        Subscriber.objects.filter(pk=delivery.subscriber_id).update(
            active=False, bounced_at=timezone.now()
        )


def _next(letter, task_id):
    """Releases the letter and queues the next batch (at the next retry's time when only
    retries are left), or marks the letter sent: in one transaction."""
    with transaction.atomic():
        pending = letter.deliveries.filter(status=Delivery.PENDING)
        Letter.objects.filter(pk=letter.pk, sending_task=task_id).update(sending_task="")
        if pending.exists():
            first = pending.aggregate(first=Min("next_attempt"))["first"]
            task = send_batch
            if first > timezone.now():
                task = send_batch.using(run_after=first)
            task.enqueue(letter.pk)
        else:
            Letter.objects.filter(pk=letter.pk).update(status=Letter.SENT, sent_at=timezone.now())


def send_test(letter, address: str) -> None:
    """The letter as subscribers get it, to one address (the editor's), marked as a test;
    its unsubscribe link leads to the subscription page, it unsubscribes nobody."""
    connection = get_connection()
    html, text = render_html(letter), render_text(letter)
    subscribe = site_url(letter.site, reverse("newsletter:subscribe"))
    message = EmailMultiAlternatives(
        f"[TEST] {letter.subject}",
        text.replace(UNSUBSCRIBE, subscribe),
        sender(letter.site),
        [address],
        connection=connection,
    )
    html = html.replace(UNSUBSCRIBE, escape(subscribe)).replace(OPENS, "")
    message.attach_alternative(html, "text/html")
    message.send()


def schedule(letter, when=None) -> None:
    """Sends now (when=None) or at `when`: the start task is queued for that time. The
    letter is "programmée" until a worker starts it; a later change of date leaves the
    earlier task without effect (start_letter compares the dates)."""
    when = when or timezone.now()
    with transaction.atomic():
        Letter.objects.filter(pk=letter.pk).update(status=Letter.SCHEDULED, send_at=when)
        letter.refresh_from_db()
        start_letter.using(run_after=when).enqueue(letter.pk, letter.send_at.isoformat())
