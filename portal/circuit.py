"""Back-off for the services the portal calls (Redis, the search server, S3, SMTP, a
CDN): after a failure (a timeout, a refused connection) a service is left alone for a
few seconds, so that a hung service costs one timeout per pause and per process, not one
per call. Every client also has its own connect and read timeouts (settings); this only
stops a request, or the next ones, from paying them again and again.

One circuit per service address, shared by every thread of the process and every user
of that address: the page cache and the statistics queue on the same Redis trip
together, so a beacon pays at most one timeout, not one for the queue and one for the
cache."""

import logging
import threading
import time
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


class Circuit:
    def __init__(self, name: str, pause: float):
        self.name = name
        self.pause = pause
        self._open_until = 0.0

    def is_open(self) -> bool:
        """True while the service is being left alone: callers skip it."""
        return time.monotonic() < self._open_until

    def trip(self, error=None):
        self._open_until = time.monotonic() + self.pause
        logger.warning("%s unavailable, left alone for %ss error=%r", self.name, self.pause, error)

    def reset(self):
        self._open_until = 0.0


_circuits: dict[str, Circuit] = {}
_lock = threading.Lock()


def circuit(name: str, pause: float = 5.0) -> Circuit:
    """The process's circuit for `name` (created with `pause` seconds the first time)."""
    found = _circuits.get(name)
    if found is None:
        with _lock:
            found = _circuits.setdefault(name, Circuit(name, pause))
    return found


def for_url(kind: str, url: str, pause: float = 5.0) -> Circuit:
    """The circuit of the server at `url` (its host and port, never its credentials)."""
    parts = urlsplit(url)
    address = f"{parts.hostname}:{parts.port}" if parts.hostname else parts.path
    return circuit(f"{kind} {address}", pause)


def reset_all():
    """Forget every failure (tests; an operator's restored service is tried again anyway
    once its pause ends)."""
    for found in list(_circuits.values()):
        found.reset()
