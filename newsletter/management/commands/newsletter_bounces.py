"""Reads bounce reports and deactivates the addresses that failed for good
(docs/newsletter.md). Point the letters' Return-Path mailbox at it:

    manage.py newsletter_bounces --maildir /var/mail/bounces/  # new messages, then moved to cur/
    manage.py newsletter_bounces --mbox bounces.mbox
    manage.py newsletter_bounces < one-message.eml  # e.g. from a Postfix pipe

With an ESP, its webhooks do the same through django-anymail (docs/newsletter.md)."""

import mailbox
import sys

from django.core.management.base import BaseCommand

from newsletter.bounces import deactivate, failed_addresses, parse


class Command(BaseCommand):
    help = "Désactive les adresses rejetées définitivement (avis de non-remise)."

    def add_arguments(self, parser):
        parser.add_argument("--maildir")
        parser.add_argument("--mbox")

    def handle(self, *args, maildir=None, mbox=None, **options):
        failed = set()
        read = 0
        if maildir:
            box = mailbox.Maildir(maildir, factory=None, create=False)
            for key in list(box.iterkeys()):
                message = box.get_message(key)
                if message.get_subdir() != "new":
                    continue
                failed |= failed_addresses(parse(box.get_bytes(key)))
                message.set_subdir("cur")
                box[key] = message
                read += 1
        elif mbox:
            for message in mailbox.mbox(mbox, create=False):
                failed |= failed_addresses(parse(message.as_bytes()))
                read += 1
        else:
            failed |= failed_addresses(parse(sys.stdin.buffer.read()))
            read = 1
        count = deactivate(failed)
        self.stdout.write(f"{read} message(s) lu(s), {count} adresse(s) désactivée(s)")
