"""Downloads for the imports (iCalendar feeds, WordPress attachments): bounded in time and
size, every failure turned into one clear message."""

from django.conf import settings

import requests


class FetchError(Exception):
    pass


def fetch(url: str, *, max_bytes: int | None = None) -> tuple[bytes, str]:
    """(body, content type) of `url`; FetchError if unreachable, not 200, or too big."""
    limit = max_bytes or getattr(settings, "INTEROP_FETCH_MAX_BYTES", 50 * 1024 * 1024)
    timeout = getattr(settings, "INTEROP_FETCH_TIMEOUT", 20)
    try:
        with requests.get(
            url, timeout=timeout, stream=True, headers={"User-Agent": "rncrpv-portal-import"}
        ) as response:
            if response.status_code != 200:
                raise FetchError(f"{url} : réponse HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise FetchError(f"{url} : plus de {limit // 1024} Kio, refusé")
            return bytes(body), response.headers.get("Content-Type", "")
    except requests.RequestException as error:
        raise FetchError(f"{url} : injoignable ({error.__class__.__name__})") from error
