"""Subscribable calendars (iCalendar, RFC 5545, via the `icalendar` library) and news
feeds (RSS 2.0 and Atom, via Django's syndication framework). Every feed honours the
same GET filters as the listing it sits beside."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from icalendar import Calendar, Event, Timezone, vText

from portal.cache import TIMEOUT, cached, content_version, listing_key
from portal.feeds import AtomMixin, ListingFeed
from portal.pagination import TIME_SLICE

from .listing import Filters, apply, with_related
from .models import EventPage

FEED_LIMIT = 500
PAST_DAYS_IN_CALENDAR = 180


def filtered_events(agenda, request):
    """The visitor's filters, and a callable giving the events a feed carries (what is
    upcoming and the recent past), ordered: built only when the feed is not cached."""
    filters = Filters.from_query(request.GET)

    def events():
        events = apply(agenda.scope(), filters)
        if not filters.when and not filters.month:
            events = events.filter(
                ends_at__gte=timezone.now() - timedelta(days=PAST_DAYS_IN_CALENDAR)
            )
        return events.order_by("starts_at", "pk")

    return filters, events


def feed_events(agenda, request):
    return with_related(filtered_events(agenda, request)[1]())[:FEED_LIMIT]


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


def _tzids(item) -> set[str]:
    return {
        str(prop.params["TZID"])
        for prop in (item.get("dtstart"), item.get("dtend"))
        if prop is not None and "TZID" in prop.params
    }


# VTIMEZONE components depend on the zone alone (and the tz database of the process).
_timezones: dict[str, Timezone | None] = {}


def _timezone(tzid):
    if tzid not in _timezones:
        try:
            _timezones[tzid] = Timezone.from_tzid(tzid)
        except ValueError:  # unknown to the tz database: left out, as add_missing_timezones
            _timezones[tzid] = None
    return _timezones[tzid]


def vevent_texts(ids, request) -> list[tuple[bytes, set[str]]]:
    """Each event's VEVENT, serialised, with the TZIDs it uses. Serialising is most of a
    calendar's cost and an event's text changes only when something is published: the
    texts are cached per content version, read in one round trip for the whole feed;
    only the events missing are fetched."""
    version = content_version(request)
    keys = {pk: f"portal:v{version}:vevent:{pk}" for pk in ids}
    found = cache.get_many(keys.values())
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        fresh = {}
        for event in with_tags(EventPage.objects.filter(pk__in=missing)):
            item = vevent(event, request)
            fresh[keys[event.pk]] = (item.to_ical(), _tzids(item))
        cache.set_many(fresh, TIMEOUT)
        found.update(fresh)
    return [found[keys[pk]] for pk in ids if keys[pk] in found]


def with_tags(events):
    """What a VEVENT shows besides the event's own fields: its format and themes."""
    return events.select_related("event_format").prefetch_related("tagged_items__tag")


def calendar_response(ids, name, request, filename) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//RNCRPV//Portail des centres de ressources//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", "Europe/Paris")
    texts = vevent_texts(ids, request)
    # Every zone the events name, as VTIMEZONE before the events (as icalendar's
    # add_missing_timezones places them).
    for tzid in sorted(set().union(*(tzids for _text, tzids in texts))):
        if (timezone_ := _timezone(tzid)) is not None:
            calendar.add_component(timezone_)
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    body = head + b"".join(text for text, _ in texts) + b"END:VCALENDAR" + end
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def ical_response(agenda, request):
    name = f"{agenda.title} — {agenda.get_site().site_name}"
    filters, events = filtered_events(agenda, request)
    # Which events a filtered calendar carries is computed data, as a listing's page.
    key = listing_key("agenda-ical", agenda, filters, per_seconds=TIME_SLICE)
    ids = cached(key, lambda: list(events()[:FEED_LIMIT].values_list("pk", flat=True)), request)
    return calendar_response(ids, name, request, "agenda.ics")


def series_ical_response(series, request):
    """`<series URL>ical/`: every live session of the cycle, past and upcoming."""
    ids = list(series.sessions().values_list("pk", flat=True)[:FEED_LIMIT])
    return calendar_response(ids, series.title, request, f"{series.slug}.ics")


def event_ical_response(event, request):
    return calendar_response([event.pk], event.title, request, f"{event.slug}.ics")


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
