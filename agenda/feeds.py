"""Subscribable calendars (iCalendar, RFC 5545, via the `icalendar` library) and news
feeds (RSS 2.0 and Atom, via Django's syndication framework). Every feed honours the
same GET filters as the listing it sits beside."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, vText

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


class AgendaFeed(Feed):
    def __init__(self, agenda, request):
        super().__init__()
        self.agenda, self.request = agenda, request

    def title(self):
        return f"{self.agenda.title} — {self.agenda.get_site().site_name}"

    def link(self):
        return self.agenda.get_url(self.request)

    def description(self):
        return _("Les événements de %(name)s") % {"name": self.agenda.get_site().site_name}

    def items(self):
        return feed_events(self.agenda, self.request)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return event_uid(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tagged.tag.name for tagged in item.tagged_items.all()]


class AgendaAtomFeed(AgendaFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()


def rss_response(agenda, request):
    return AgendaFeed(agenda, request)(request)


def atom_response(agenda, request):
    return AgendaAtomFeed(agenda, request)(request)
