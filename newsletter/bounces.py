"""Hard bounces read from delivery status notifications (RFC 3464): the report a mail
server sends back when it could not deliver. A permanent failure (status 5.x.x) of an
address deactivates it on every site (nothing is sent to it any more); a temporary one
(4.x.x) is left to the sending's retries."""

import email
from email import policy

from django.utils import timezone

from .models import Subscriber


def failed_addresses(message) -> set[str]:
    """The permanently failed recipients a DSN names (none for any other message)."""
    addresses = set()
    if message.get_content_type() != "multipart/report":
        return addresses
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The per-recipient fields are the payload's second and later header blocks.
        for block in part.get_payload():
            status = str(block.get("Status", "")).strip()
            recipient = str(block.get("Final-Recipient", "") or block.get("Original-Recipient", ""))
            if status.startswith("5") and ";" in recipient:
                addresses.add(recipient.split(";", 1)[1].strip().lower())
    return addresses


def deactivate(addresses) -> int:
    if not addresses:
        return 0
    return Subscriber.objects.filter(email__in=addresses, active=True).update(
        active=False, bounced_at=timezone.now()
    )


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.compat32)
