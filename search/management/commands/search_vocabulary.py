"""Fills the vocabulary "Vouliez-vous dire …" proposes from (`search.models.SearchTerm`)
with the words of every live page: needed once on a site whose pages were published
before the vocabulary existed, or after a bulk load that bypasses publishing. Pages
published later add their words themselves (`search.signals`)."""

from django.core.management.base import BaseCommand

from wagtail.models import Page

from search.excerpt import page_text, shown_text
from search.models import SearchTerm
from search.vocabulary import learn


class Command(BaseCommand):
    help = "Remplit le vocabulaire des suggestions avec les mots des pages publiées."

    def handle(self, *args, **options):
        before = SearchTerm.objects.count()
        for page in Page.objects.live().specific().iterator(chunk_size=500):
            tags = " ".join(t.name for t in page.tags.all()) if hasattr(page, "tags") else ""
            learn(" ".join([page.title, page_text(page), shown_text(page), tags]))
        self.stdout.write(f"{SearchTerm.objects.count() - before} new words")
