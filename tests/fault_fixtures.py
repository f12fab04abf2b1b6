"""Fixtures for the fault tests: a server that accepts connections and never answers
(a hung Redis, search server, S3, SMTP server, CDN or feed host), and a deadline that
stops a test which would otherwise wait forever (as it did before the bounds)."""

import contextlib
import signal
import socket
import threading
import time

import pytest

from portal import circuit


class Hung(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds):
    """Raise Hung in the test's (main) thread after `seconds`, then every second: a call
    with no timeout fails the test instead of holding the suite, even where a library
    catches the first Hung and calls again."""

    def expired(signum, frame):
        raise Hung(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class HungServer:
    """A real listener on a free port of the loopback: it accepts every connection (so
    connecting succeeds at once) and never sends a byte nor closes one."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:  # closed at the end of the test
                return
            self.accepted.append(connection)

    def url(self, scheme="http", path=""):
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def close(self):
        # shutdown() wakes the thread blocked in accept() on Linux, before the descriptor
        # can be reused by another socket.
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)
        self.socket.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung():
    server = HungServer()
    circuit.reset_all()
    yield server
    server.close()
    circuit.reset_all()


def timed(call, *args, **kwargs):
    """(seconds taken, result) of one call."""
    started = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - started, result
