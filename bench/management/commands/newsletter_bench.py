"""One letter to N subscribers through a local SMTP server (aiosmtpd's sink, in a
process of its own so that its CPU is not counted), and filling a letter with 30 items:
prints one JSON line (docs/newsletter.md, bench/README.md).

    DJANGO_SETTINGS_MODULE=portal.settings.bench .venv/bin/python manage.py newsletter_bench

Needs a migrated database with a site (the bench's, or `make run`'s) and aiosmtpd (the
test extra). Everything it creates is rolled back at the end. No throttle: it measures
what one worker can do; production sends at NEWSLETTER_RATE (10 a second by default)."""

import json
import os
import resource
import socket
import subprocess
import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from wagtail.models import Site

from newsletter.filling import fill
from newsletter.models import Delivery, Letter, MailingList, Subscriber, Subscription
from newsletter.sending import schedule
from portal.tasks import run_ready
from publications.models import NewsPage


class Rollback(Exception):
    pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the SMTP sink did not start")


class Command(BaseCommand):
    help = "Mesure l'envoi d'une lettre (2 500 abonnés) et le remplissage (30 articles)."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=2500)
        parser.add_argument("--items", type=int, default=30)

    def handle(self, *args, subscribers, items, **options):
        port = free_port()
        sink = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
            + ["-l", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port)
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_USE_SSL=False,
                NEWSLETTER_RATE=1e9,
                NEWSLETTER_BATCH=500,
            ):
                result = self.measure(subscribers, items)
        finally:
            sink.terminate()
            sink.wait(10)
        self.stdout.write(json.dumps(result))

    def measure(self, count, items):
        result = {}
        try:
            with transaction.atomic():
                site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
                mailing_list = MailingList.monthly_for(site)
                for number in range(items):
                    site.root_page.add_child(
                        instance=NewsPage(
                            title=f"Article de mesure {number}",
                            date=timezone.localdate(),
                            first_published_at=timezone.now(),
                            slug=f"article-de-mesure-{number}-{os.getpid()}",
                            summary="Un résumé de deux phrases. Assez long pour compter." * 2,
                        )
                    )
                people = Subscriber.objects.bulk_create(
                    Subscriber(site=site, email=f"bench{n}@exemple.fr") for n in range(count)
                )
                now = timezone.now()
                Subscription.objects.bulk_create(
                    Subscription(
                        subscriber=person,
                        mailing_list=mailing_list,
                        status=Subscription.CONFIRMED,
                        confirmed_at=now,
                    )
                    for person in people
                )
                letter = Letter.objects.create(mailing_list=mailing_list, subject="Mesure")
                started = time.perf_counter()
                added = fill(letter)
                result["fill_items"] = added
                result["fill_ms"] = round((time.perf_counter() - started) * 1000, 1)

                rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                cpu = time.process_time()
                started = time.perf_counter()
                schedule(letter)
                run_ready("bench")
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu
                rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                sent = Delivery.objects.filter(letter=letter, status=Delivery.SENT).count()
                result.update(
                    subscribers=count,
                    sent=sent,
                    total_s=round(elapsed, 2),
                    mails_per_s=round(sent / elapsed, 1),
                    cpu_s=round(cpu, 2),
                    mails_per_s_per_core=round(sent / cpu, 1) if cpu else None,
                    # Peak resident memory of the process (Linux: kB), and what sending added.
                    peak_rss_mb=round(rss_after / 1024, 1),
                    peak_rss_growth_mb=round((rss_after - rss_before) / 1024, 1),
                )
                raise Rollback
        except Rollback:
            pass
        return result
