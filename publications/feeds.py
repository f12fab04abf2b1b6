"""RSS and Atom feeds of a library view, with the same filters as the listing."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.feeds import AtomMixin, ListingFeed

from .listing import Filters, apply, publications_in_scope, with_related

FEED_LIMIT = 50


class LibraryFeed(ListingFeed):
    def description(self):
        return _("Les ressources de %(name)s") % {"name": self.listing_page.get_site().site_name}

    def items(self):
        filters = Filters.from_query(self.request.GET)
        scope = publications_in_scope(self.listing_page)
        return with_related(apply(scope, filters).order_by("-publication_date", "-pk"))[:FEED_LIMIT]

    def item_pubdate(self, item):
        # The date the resource was published by its authors, the one the feed is sorted
        # by; a resource put online years later (an archive) is not news of the day.
        return datetime.combine(item.publication_date, time.min, timezone.get_current_timezone())


class LibraryAtomFeed(AtomMixin, LibraryFeed):
    pass


class NewsFeed(ListingFeed):
    """`/actualite/rss/`: a site's news, newest first, with the listing's filters."""

    def description(self):
        return _("Les actualités de %(name)s") % {"name": self.listing_page.get_site().site_name}

    def items(self):
        from .news_listing import Filters

        filters = Filters.from_query(self.request.GET)
        news = self.listing_page.news(filters).prefetch_related("tagged_items__tag")
        return news[:FEED_LIMIT]

    def item_pubdate(self, item):
        return datetime.combine(item.date, time.min, timezone.get_current_timezone())


class NewsAtomFeed(AtomMixin, NewsFeed):
    pass
