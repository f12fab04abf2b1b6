"""The personal link of a registrant (in every mail): cancel and erase, no account
needed. Signed with the SECRET_KEY and a salt of its own; it never expires (it serves
until the event), and is worthless once the registration is gone."""

from django.core import signing

SALT = "registrations.cancel"


def cancel_token(registrant_id: int) -> str:
    return signing.Signer(salt=SALT).sign(str(registrant_id))


def read_cancel(token: str) -> int:
    """Raises signing.BadSignature for a forged or altered token."""
    value = signing.Signer(salt=SALT).unsign(token[:200])
    if not value.isdigit():
        raise signing.BadSignature("malformed")
    return int(value)
