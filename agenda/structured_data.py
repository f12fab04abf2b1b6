"""schema.org `Event` for search engines, as JSON-LD."""

import json
from zoneinfo import ZoneInfo

from .models import Attendance

MODES = {
    Attendance.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Attendance.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Attendance.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def organizer(centre) -> dict:
    data = {"@type": "Organization", "name": centre.long_name}
    if centre.website:
        data["url"] = centre.website
    return data


def event_json_ld(event, request, organisers=None) -> str:
    organisers = event.named_organisers if organisers is None else organisers
    tz = ZoneInfo(event.time_zone or "Europe/Paris")
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": event.get_full_url(request),
        # In the event's own time zone, with its offset, as search engines advise.
        "startDate": event.starts_at.astimezone(tz).isoformat() if event.starts_at else None,
        "endDate": event.ends_at.astimezone(tz).isoformat() if event.ends_at else None,
        "eventAttendanceMode": MODES.get(event.attendance),
        "eventStatus": "https://schema.org/EventScheduled",
        "description": event.summary or None,
        "isAccessibleForFree": True,
        "organizer": [organizer(centre) for centre in organisers] or None,
    }
    if event.all_day:
        data["startDate"] = event.start_date.isoformat()
        data["endDate"] = (event.end_date or event.start_date).isoformat()
    locations = []
    if event.attendance in (Attendance.IN_PERSON, Attendance.HYBRID):
        locations.append(
            {
                "@type": "Place",
                "name": event.venue or event.city,
                "address": ", ".join(p for p in (event.address, event.city) if p) or event.city,
            }
        )
    if event.attendance in (Attendance.ONLINE, Attendance.HYBRID) and event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.registers_on_portal and event.state == "upcoming":
        # The form is on the page itself. No availability: places change with every
        # registration, this text is cached with the page.
        data["offers"] = {
            "@type": "Offer",
            "url": data.get("url") or event.get_full_url(request),
            "price": "0",
            "priceCurrency": "EUR",
        }
    elif event.registration_open:  # an offer one can still take up
        data["offers"] = {
            "@type": "Offer",
            "url": event.registration_url,
            "price": "0",
            "priceCurrency": "EUR",
            "availability": "https://schema.org/InStock",
        }
    clean = {key: value for key, value in data.items() if value is not None}
    # "<" escaped so that no text of an editor can close the script element.
    return json.dumps(clean, ensure_ascii=False).replace("<", "\\u003c")
