"""How an event's dates read in French, in the event's own time zone, with Paris time
alongside when the two differ (overseas centres)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django import template
from django.utils.translation import gettext as _

from agenda.timing import PARIS
from portal.formats.french import format_date as date_format
from portal.templatetags.portal_tags import filter_url

register = template.Library()


def _time(moment):
    # No-break spaces: "9 h 00" never splits across lines (a phone's narrow column).
    return date_format(moment, "G\u00a0\\h\u00a0i")


def _day(moment):
    return date_format(moment, "l j F Y")


def _span(start, end, all_day):
    if all_day:
        # Whole days end at midnight after the last day (see agenda.timing).
        last_day = (end - timedelta(days=1)).date()
        if last_day <= start.date():
            return _day(start)
        return _("du %(start)s au %(end)s") % {
            "start": _day(start),
            "end": date_format(last_day, "l j F Y"),
        }
    if start.date() == end.date():
        if start == end:
            return _("%(day)s à %(time)s") % {"day": _day(start), "time": _time(start)}
        return _("%(day)s, de %(start)s à %(end)s") % {
            "day": _day(start),
            "start": _time(start),
            "end": _time(end),
        }
    return _("du %(start)s à %(stime)s au %(end)s à %(etime)s") % {
        "start": _day(start),
        "stime": _time(start),
        "end": _day(end),
        "etime": _time(end),
    }


@register.simple_tag
def event_when(event):
    if not event.starts_at:
        return ""
    tz = ZoneInfo(event.time_zone or "Europe/Paris")
    local = _span(event.starts_at.astimezone(tz), event.ends_at.astimezone(tz), event.all_day)
    if event.all_day or not event.shows_time_zone:
        return local
    # The whole span in Paris time, day included: an evening in the Antilles is the
    # next morning in Paris.
    paris = _span(event.starts_at.astimezone(PARIS), event.ends_at.astimezone(PARIS), False)
    offset = event.starts_at.astimezone(tz).strftime("%z")
    return _("%(local)s (heure locale, UTC%(offset)s) ; à Paris : %(paris)s") % {
        "local": local,
        "offset": f"{offset[:3]}:{offset[3:]}",
        "paris": paris,
    }


# Shared with every listing's templates; registered here too so agenda templates need
# one library only.
register.simple_tag(filter_url, name="filter_url")
