"""What every listing's RSS feed shares: a Wagtail listing page (agenda, library) whose
items are pages with a `summary` and themes (`tagged_items`). Subclasses say what the
items are and how to describe the feed; `AtomMixin` turns one into an Atom feed."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class ListingFeed(Feed):
    item_guid_is_permalink = False

    def __init__(self, listing_page, request):
        super().__init__()
        self.listing_page, self.request = listing_page, request

    def title(self):
        return f"{self.listing_page.title} — {self.listing_page.get_site().site_name}"

    def link(self):
        return self.listing_page.get_url(self.request)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return str(item.translation_key)

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
