"""Subscribing, confirming and unsubscribing, the same for the public forms and the
admin's import. The public answer never depends on whether the address is known: the
request is recorded (or left as it is) and a confirmation mail queued, whatever."""

from django.db import transaction
from django.utils import timezone

from .models import MailingList, Subscriber, Subscription


def normalise(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def request(
    site, email, lists, *, consent_text, name="", organisation="", profile=None, opens=False
):
    """Records a subscription request (pending) to `lists`; returns the subscriber and
    the ids of the lists that still need a confirmation. Idempotent: a confirmed list
    stays confirmed, and a known subscriber's details are not changed by a form anybody
    could fill with their address. `opens`: the box consenting to opens being measured
    was ticked; it is recorded with the pending request and takes effect with the
    confirmation, for the lists that measure opens (never on a confirmed subscription:
    anybody could fill the form with someone's address)."""
    subscriber, created = Subscriber.objects.get_or_create(
        site=site,
        email=normalise(email),
        defaults={"name": name, "organisation": organisation, "profile": profile},
    )
    waiting = []
    for mailing_list in lists:
        subscription, _ = Subscription.objects.get_or_create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            defaults={"consent_text": consent_text},
        )
        if subscription.status == Subscription.CONFIRMED:
            continue
        if subscription.status == Subscription.UNSUBSCRIBED:
            subscription.status = Subscription.PENDING
            subscription.requested_at = timezone.now()
            subscription.consent_text = consent_text
        subscription.opens_consent_text = (
            mailing_list.opens_consent_text if opens and mailing_list.count_opens else ""
        )
        subscription.save(
            update_fields=["status", "requested_at", "consent_text", "opens_consent_text"]
        )
        waiting.append(mailing_list.pk)
    return subscriber, waiting


@transaction.atomic
def confirm(subscriber_id: int, list_ids: list[int]) -> list[MailingList]:
    """Confirms the pending subscriptions named by a confirmation link; returns the lists
    now confirmed (already confirmed ones included: a second click changes nothing)."""
    now = timezone.now()
    subscriptions = Subscription.objects.select_related("mailing_list").filter(
        subscriber_id=subscriber_id, mailing_list_id__in=list_ids
    )
    confirmed = []
    for subscription in subscriptions:
        if subscription.status == Subscription.PENDING:
            subscription.status = Subscription.CONFIRMED
            subscription.confirmed_at = now
            subscription.unsubscribed_at = None
            subscription.opens_consent_at = now if subscription.opens_consent_text else None
            subscription.save(
                update_fields=["status", "confirmed_at", "unsubscribed_at", "opens_consent_at"]
            )
        if subscription.status == Subscription.CONFIRMED:
            confirmed.append(subscription.mailing_list)
    return confirmed


def withdraw_opens(subscriber_id: int, list_id: int) -> None:
    """Opens of this list are no longer measured for this reader (the consent withdrawn:
    the next letters carry no image, and an earlier letter's image counts nothing)."""
    Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id=list_id).update(
        opens_consent_at=None, opens_consent_text=""
    )


def unsubscribe(subscriber_id: int, list_id: int) -> bool:
    """True when the address was subscribed and is not any more (or already was not)."""
    return (
        Subscription.objects.filter(subscriber_id=subscriber_id, mailing_list_id=list_id)
        .exclude(status=Subscription.UNSUBSCRIBED)
        .update(status=Subscription.UNSUBSCRIBED, unsubscribed_at=timezone.now())
        >= 0
    )
