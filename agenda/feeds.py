"""Subscribable calendars (iCalendar, RFC 5545, via the `icalendar` library) and news
feeds (RSS 2.0 and Atom, via Django's syndication framework). Every feed honours the
same GET filters as the listing it sits beside."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, vText

from portal.feeds import AtomMixin, ListingFeed

from .listing import Filters, apply, with_related

FEED_LIMIT = 500
PAST_DAYS_IN_CALENDAR = 180


def feed_events(agenda, request):
    """The filtered events a feed carries: what is upcoming and the recent past."""
    filters = Filters.from_query(request.GET)
    events = apply(agenda.scope(), filters)
    if not filters.when and not filters.month:
        events = events.filter(ends_at__gte=timezone.now() - timedelta(days=PAST_DAYS_IN_CALENDAR))
    return with_related(events.order_by("starts_at", "pk"))[:FEED_LIMIT]


def event_uid(event) -> str:
    # The translation key is a UUID given at creation and kept for the page's life.
    return f"{event.translation_key}@{settings.PORTAL_DOMAIN}"


def location_of(event) -> str:
    place = ", ".join(part for part in (event.venue, event.address, event.city) if part)
    if event.online_url and not place:
        return event.online_url
    return place


def vevent(event, request) -> Event:
    item = Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", event.last_published_at or timezone.now())
    item.add("summary", event.title)
    if event.all_day:
        item.add("dtstart", event.starts_at.astimezone(ZoneInfo(event.time_zone)).date())
        item.add("dtend", event.ends_at.astimezone(ZoneInfo(event.time_zone)).date())
    else:
        tz = ZoneInfo(event.time_zone)
        item.add("dtstart", event.starts_at.astimezone(tz))
        item.add("dtend", event.ends_at.astimezone(tz))
    url = event.get_full_url(request)
    item.add("url", url)
    item.add("description", "\n\n".join(part for part in (event.summary, url) if part))
    location = location_of(event)
    if location:
        item.add("location", location)
    categories = [event.event_format.name] if event.event_format_id else []
    categories += [tagged.tag.name for tagged in event.tagged_items.all()]
    if categories:
        item.add("categories", categories)
    item.add("status", "CONFIRMED")
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    return item


def calendar_response(events, name, request, filename) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//RNCRPV//Portail des centres de ressources//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", "Europe/Paris")
    for event in events:
        calendar.add_component(vevent(event, request))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def ical_response(agenda, request):
    name = f"{agenda.title} — {agenda.get_site().site_name}"
    return calendar_response(feed_events(agenda, request), name, request, "agenda.ics")


def event_ical_response(event, request):
    # Re-read with its format and themes in bulk, as the agenda's calendar does.
    event = with_related(type(event).objects.filter(pk=event.pk)).get()
    return calendar_response([event], event.title, request, f"{event.slug}.ics")


class AgendaFeed(ListingFeed):
    def description(self):
        return _("Les événements de %(name)s") % {"name": self.listing_page.get_site().site_name}

    def items(self):
        return feed_events(self.listing_page, self.request)

    def item_guid(self, item):
        return event_uid(item)

    def item_pubdate(self, item):
        return item.first_published_at


class AgendaAtomFeed(AtomMixin, AgendaFeed):
    pass


def rss_response(agenda, request):
    return AgendaFeed(agenda, request)(request)


def atom_response(agenda, request):
    return AgendaAtomFeed(agenda, request)(request)
