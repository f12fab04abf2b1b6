"""RSS and Atom feeds of an offers listing, with the same filters: open offers only, so
an offer leaves the feeds after its closing date as it leaves the listing."""

from django.utils.translation import gettext as _

from portal.feeds import AtomMixin, ListingFeed

from .listing import Filters, apply, offers_in_scope

FEED_LIMIT = 50


class OfferFeed(ListingFeed):
    def description(self):
        return _("Les offres d’emploi, appels à projets et financements de %(name)s") % {
            "name": self.listing_page.get_site().site_name
        }

    def items(self):
        filters = Filters.from_query(self.request.GET)
        scope = offers_in_scope(self.listing_page)
        return apply(scope, filters).order_by("-first_published_at", "-pk")[:FEED_LIMIT]

    def item_description(self, item):
        closing = _("Clôture le %(date)s") % {"date": item.closing_date.strftime("%d/%m/%Y")}
        parts = [item.organisation, item.place, item.contract, closing, item.summary]
        return " · ".join(part for part in parts if part)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [str(item.get_kind_display())]


class OfferAtomFeed(AtomMixin, OfferFeed):
    pass
