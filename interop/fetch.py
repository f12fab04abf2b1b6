"""Downloads for the imports (iCalendar feeds, WordPress attachments): bounded in time and
size, every failure turned into one clear message.

Bounded waits: INTEROP_FETCH_CONNECT_TIMEOUT to connect, INTEROP_FETCH_TIMEOUT for each
read, INTEROP_FETCH_DEADLINE for the whole body (a server trickling a byte at a time
never times out a read); after a host failed to answer it is left alone RETRY_SECONDS,
so that an import of 500 attachments from a dead site fails them at once, not in 500
timeouts."""

import time
from urllib.parse import urlsplit

from django.conf import settings

import requests

from portal import circuit

RETRY_SECONDS = 60


class FetchError(Exception):
    pass


def fetch(url: str, *, max_bytes: int | None = None) -> tuple[bytes, str]:
    """(body, content type) of `url`; FetchError if unreachable, not 200, or too big."""
    limit = max_bytes or getattr(settings, "INTEROP_FETCH_MAX_BYTES", 50 * 1024 * 1024)
    connect = float(getattr(settings, "INTEROP_FETCH_CONNECT_TIMEOUT", 3))
    read = float(getattr(settings, "INTEROP_FETCH_TIMEOUT", 20))
    deadline = time.monotonic() + float(getattr(settings, "INTEROP_FETCH_DEADLINE", 60))
    parts = urlsplit(url)
    breaker = circuit.circuit(f"fetch {parts.scheme}://{parts.netloc}", RETRY_SECONDS)
    if breaker.is_open():
        raise FetchError(f"{url} : injoignable (serveur en échec il y a moins d'une minute)")
    try:
        with requests.get(
            url,
            timeout=(connect, read),
            stream=True,
            headers={"User-Agent": "rncrpv-portal-import"},
        ) as response:
            if response.status_code != 200:
                raise FetchError(f"{url} : réponse HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise FetchError(f"{url} : plus de {limit // 1024} Kio, refusé")
                if time.monotonic() > deadline:
                    raise requests.Timeout("whole body too slow")
            return bytes(body), response.headers.get("Content-Type", "")
    except (requests.ConnectionError, requests.Timeout) as error:
        breaker.trip(error)
        raise FetchError(f"{url} : injoignable ({error.__class__.__name__})") from error
    except requests.RequestException as error:
        raise FetchError(f"{url} : injoignable ({error.__class__.__name__})") from error
