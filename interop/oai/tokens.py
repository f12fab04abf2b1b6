"""Resumption tokens: the request's arguments and the key of the last record sent,
signed so that a forged or mangled token is a badResumptionToken, not a crash. Stateless:
nothing to store or expire on the server."""

from datetime import datetime

from django.core import signing

SALT = "interop.oai.resumption"


class BadToken(Exception):
    pass


def dump(*, verb, prefix, spec, start, end, last_stamp: datetime, last_id: int, cursor: int) -> str:
    payload = {
        "v": verb,
        "m": prefix,
        "s": spec,
        "f": start and start.isoformat(),
        "u": end and end.isoformat(),
        "d": last_stamp.isoformat(),
        "k": last_id,
        "c": cursor,
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def load(token: str, verb: str) -> dict:
    try:
        payload = signing.loads(token, salt=SALT)
        if payload["v"] != verb:
            raise BadToken("token issued for another verb")
        for key in ("f", "u", "d"):
            payload[key] = datetime.fromisoformat(payload[key]) if payload[key] else None
        return payload
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise BadToken(str(error)) from error
