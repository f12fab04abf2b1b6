"""RSS and Atom feeds of a library view, with the same filters as the listing."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .listing import Filters, apply, publications_in_scope, with_related

FEED_LIMIT = 50


class LibraryFeed(Feed):
    def __init__(self, library, request):
        super().__init__()
        self.library, self.request = library, request

    def title(self):
        return f"{self.library.title} — {self.library.get_site().site_name}"

    def link(self):
        return self.library.get_url(self.request)

    def description(self):
        return _("Les ressources de %(name)s") % {"name": self.library.get_site().site_name}

    def items(self):
        filters = Filters.from_query(self.request.GET)
        scope = publications_in_scope(self.library)
        return with_related(apply(scope, filters).order_by("-publication_date", "-pk"))[:FEED_LIMIT]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return str(item.translation_key)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        # The date the resource was published by its authors, the one the feed is sorted
        # by; a resource put online years later (an archive) is not news of the day.
        return datetime.combine(item.publication_date, time.min, timezone.get_current_timezone())

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]


class LibraryAtomFeed(LibraryFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
