"""Signed links: a confirmation link expires (NEWSLETTER_CONFIRM_DAYS), an unsubscribe
link never does (it must work in a letter read a year later). Both are signed with the
SECRET_KEY and a salt of their own, so a forged or altered token is refused and a link
of one kind cannot serve as the other."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def confirm_token(subscriber_id: int, list_ids: list[int]) -> str:
    return signing.dumps([subscriber_id, sorted(list_ids)], salt=CONFIRM_SALT, compress=True)


def read_confirm(token: str) -> tuple[int, list[int]]:
    """Raises signing.BadSignature (SignatureExpired included) for a bad token."""
    max_age = getattr(settings, "NEWSLETTER_CONFIRM_DAYS", 7) * 86400
    value = signing.loads(token[:500], salt=CONFIRM_SALT, max_age=max_age)
    subscriber_id, list_ids = value
    if not isinstance(subscriber_id, int) or not all(isinstance(i, int) for i in list_ids):
        raise signing.BadSignature("malformed")
    return subscriber_id, list_ids


def unsubscribe_token(subscriber_id: int, list_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{subscriber_id}-{list_id}")


def read_unsubscribe(token: str) -> tuple[int, int]:
    value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token[:200])
    subscriber_id, list_id = value.split("-")
    return int(subscriber_id), int(list_id)


OPENS_SALT = "newsletter.opens"


def opens_token(delivery_id: int) -> str:
    """The measuring image's and the withdrawal link's token: one delivery (a letter to
    one reader), never expiring, like the unsubscribe link."""
    return signing.Signer(salt=OPENS_SALT).sign(str(delivery_id))


def read_opens(token: str) -> int:
    return int(signing.Signer(salt=OPENS_SALT).unsign(token[:200]))
