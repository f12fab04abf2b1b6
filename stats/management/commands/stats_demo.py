"""Demo statistics for the demo network (never on a real installation): a few weeks
of plausible page views, downloads and replay plays on every site, then their rollups, so that the
admin's Statistics pages have something to show after `make run`."""

import random
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.models import Site

from agenda.models import EventPage
from stats.models import Event
from stats.privacy import PARIS, local_day
from stats.rollup import roll_up

REFERRERS = ["", "", "", "www.qwant.com", "www.google.com", "www.linkedin.com", "www.anct.gouv.fr"]


class Command(BaseCommand):
    help = "Ajoute des statistiques de démonstration (jamais sur une installation réelle)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=60)

    @transaction.atomic
    def handle(self, *args, days, **options):
        if Event.objects.exists():
            self.stdout.write("statistics already present: nothing added")
            return
        rng = random.Random(2026)  # the same demo every time
        # Replay plays draw from a generator of their own: the views and downloads stay
        # those of earlier demos.
        replay_rng = random.Random(2027)
        today = local_day()
        documents = list(get_document_model().objects.values_list("pk", "file"))
        events = []
        for site in Site.objects.select_related("root_page"):
            pages = list(
                site.root_page.get_descendants(inclusive=True).live().values_list("pk", "url_path")
            )
            root = site.root_page.url_path
            replayed = list(
                EventPage.objects.live()
                .descendant_of(site.root_page)
                .exclude(replay_url="")
                .values_list("pk", "url_path")
            )
            weight = 6 if site.is_default_site else 2
            for offset in range(days, -1, -1):
                day = today - timedelta(days=offset)
                for _number in range(rng.randint(weight, weight * 4)):
                    visitor = f"{rng.getrandbits(128):032x}"
                    moment = datetime(
                        day.year,
                        day.month,
                        day.day,
                        rng.randint(7, 21),
                        rng.randint(0, 59),
                        tzinfo=PARIS,
                    )
                    first = rng.random() < 0.6
                    # A browser's first visit of the year (a returning one half the time).
                    first_of_year = first or rng.random() < 0.3
                    for step in range(rng.choice([1, 1, 2, 3, 5])):
                        pk, url_path = rng.choice(pages)
                        events.append(
                            Event(
                                site=site,
                                kind=Event.VIEW,
                                occurred_at=moment,
                                day=day,
                                visitor=visitor,
                                page_id=pk,
                                path="/" + url_path[len(root) :],
                                referrer_host=rng.choice(REFERRERS) if step == 0 else "",
                                first_visit=first and step == 0,
                                first_of_year=first_of_year and step == 0,
                            )
                        )
                        moment += timedelta(minutes=rng.randint(1, 12))
                    if documents and rng.random() < 0.2:
                        pk, name = rng.choice(documents)
                        events.append(
                            Event(
                                site=site,
                                kind=Event.DOWNLOAD,
                                occurred_at=moment,
                                day=day,
                                visitor=visitor,
                                document_id=pk,
                                path=f"/documents/{pk}/{name.rsplit('/', 1)[-1]}",
                            )
                        )
                    if replayed and replay_rng.random() < 0.15:
                        pk, url_path = replay_rng.choice(replayed)
                        events.append(
                            Event(
                                site=site,
                                kind=Event.REPLAY,
                                occurred_at=moment,
                                day=day,
                                visitor=visitor,
                                page_id=pk,
                                path="/" + url_path[len(root) :] + "replay/",
                            )
                        )
        Event.objects.bulk_create(events, batch_size=2000)
        rolled = roll_up()
        self.stdout.write(
            f"{len(events)} demo events over {days + 1} days; {rolled} site-days rolled up"
        )
