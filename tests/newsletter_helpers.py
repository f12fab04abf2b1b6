"""Shared by the newsletter tests: subscribers made directly, mails' parts and links."""

import re

from django.utils import timezone

from newsletter.models import Letter, MailingList, Subscriber, Subscription


def monthly(site):
    return MailingList.monthly_for(site)


def confirmed_subscribers(mailing_list, count, prefix="lecteur"):
    people = []
    for number in range(count):
        person = Subscriber.objects.create(
            site=mailing_list.site, email=f"{prefix}{number}@exemple.fr"
        )
        Subscription.objects.create(
            subscriber=person,
            mailing_list=mailing_list,
            status=Subscription.CONFIRMED,
            confirmed_at=timezone.now(),
            consent_text="test",
        )
        people.append(person)
    return people


def letter_for(mailing_list, subject="Lettre de test", body=None):
    return Letter.objects.create(
        mailing_list=mailing_list,
        subject=subject,
        body=body
        or [
            ("intro", "Bonjour."),
            (
                "item",
                {
                    "kind": "Actualité",
                    "title": "Un article",
                    "date": "",
                    "summary": "Résumé.",
                    "url": "http://irev.localhost/actualite/",
                },
            ),
        ],
    )


def part(message, content_type) -> str:
    for sub in message.walk():
        if sub.get_content_type() == content_type:
            return sub.get_payload(decode=True).decode(sub.get_content_charset() or "utf-8")
    raise AssertionError(f"no {content_type} part")


def links(text) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


def path_of(url) -> str:
    return "/" + url.split("/", 3)[3]


def unsubscribe_url(message) -> str:
    """The List-Unsubscribe header's URL (unfolded)."""
    return "".join(str(message["List-Unsubscribe"]).split()).strip("<>")
