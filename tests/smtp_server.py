"""A real SMTP server for mail tests (aiosmtpd, on a free port of the loopback): the
portal's own backend (`portal.mail.EmailBackend`) delivers to it, so a test reads what
an SMTP server received, envelope and headers, rather than Django's in-memory outbox."""

import asyncio
import email
import socket
import threading
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []  # (envelope recipients, email.message.Message)
        # address -> SMTP reply given to its next RCPT, once (e.g. "451 4.3.0 Try later"):
        # a server's temporary or permanent refusal.
        self.refuse_once = {}
        # Once this many messages are accepted, the next DATA gets no answer until
        # `release` is set (then a temporary refusal): a client crashing mid-dialogue.
        self.hold_at = None
        self.held = threading.Event()  # set while a DATA waits for its answer
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = self.refuse_once.pop(address, None)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hold_at is not None and len(self.messages) >= self.hold_at:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 Not accepted"
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address) -> list:
        return [message for rcpt, message in self.messages if address in rcpt]

    @staticmethod
    def subject(message) -> str:
        return str(make_header(decode_header(message["Subject"])))

    @staticmethod
    def body(message) -> str:
        return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (the controller checks it can connect)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "portal.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()
