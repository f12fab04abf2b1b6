"""Hard bounces from a bounce mailbox (newsletter_bounces): a DSN with a permanent
failure deactivates the address, a temporary one and an ordinary mail change nothing."""

import mailbox
from io import StringIO

from django.core.management import call_command

import pytest

from newsletter.models import Subscriber

from .newsletter_helpers import confirmed_subscribers, monthly

DSN = """\
From: MAILER-DAEMON@mx.exemple.fr
To: bounces@reseau-crpv.fr
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.exemple.fr

Final-Recipient: rfc822; {address}
Action: failed
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B--
"""


@pytest.mark.django_db
def test_a_bounce_mailbox_deactivates_permanently_failed_addresses(network, tmp_path):
    mailing_list = monthly(network.centres["irev"].home_page.get_site())
    gone, busy, fine = confirmed_subscribers(mailing_list, 3)
    box = mailbox.Maildir(tmp_path / "bounces")
    box.add(DSN.format(address=gone.email.upper(), status="5.1.1"))
    box.add(DSN.format(address=busy.email, status="4.2.2"))
    box.add("From: someone@exemple.fr\nSubject: Re: votre lettre\n\nMerci !\n")
    out = StringIO()
    call_command("newsletter_bounces", maildir=str(tmp_path / "bounces"), stdout=out)
    assert "3 message(s) lu(s), 1 adresse(s) désactivée(s)" in out.getvalue()
    assert list(Subscriber.objects.filter(active=False)) == [gone]
    gone.refresh_from_db()
    assert gone.bounced_at is not None
    # Read messages move to cur/: a second run reads nothing again.
    out = StringIO()
    call_command("newsletter_bounces", maildir=str(tmp_path / "bounces"), stdout=out)
    assert "0 message(s) lu(s)" in out.getvalue()
