"""Django's SMTP backend with a back-off: after the server failed to answer (refused,
timed out: EMAIL_TIMEOUT bounds each wait), it is left alone RETRY_SECONDS, so that the
next mails fail at once with the same error instead of waiting again. Callers see the
same exceptions as from Django's backend (unless fail_silently)."""

import smtplib

from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from . import circuit

RETRY_SECONDS = 10


class SMTPUnavailable(smtplib.SMTPServerDisconnected):
    pass


class EmailBackend(SMTPBackend):
    def open(self):
        breaker = circuit.circuit(f"smtp {self.host}:{self.port}", RETRY_SECONDS)
        if breaker.is_open():
            if self.fail_silently:
                return False
            raise SMTPUnavailable(f"{self.host}:{self.port} left alone after a failure")
        try:
            return super().open()
        except (OSError, smtplib.SMTPException) as error:
            breaker.trip(error)
            raise
