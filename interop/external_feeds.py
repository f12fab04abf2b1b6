"""Outside RSS/Atom feeds (`ExternalFeed`, e.g. the network's Scoop.it press panorama):
fetched by the scheduled job (`manage.py fetch_external_feeds`), never at page render.
A failed fetch keeps the last good items and marks the feed failing; the block shows
the items with that state."""

from email.utils import parsedate_to_datetime

from django.utils import timezone

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from portal.cache import bump_content_version

from .fetch import FetchError, fetch
from .models import ExternalFeed

ATOM = "{http://www.w3.org/2005/Atom}"
MAX_BYTES = 5 * 1024 * 1024


class FeedError(Exception):
    pass


def _text(element, *names) -> str:
    for name in names:
        found = element.find(name)
        if found is not None and (found.text or "").strip():
            return " ".join(found.text.split())
    return ""


def _date(value: str) -> str:
    """An ISO date (YYYY-MM-DD) from an RSS (RFC 822) or Atom (RFC 3339) date, or ""."""
    if not value:
        return ""
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return value[:10] if len(value) >= 10 and value[4] == "-" else ""


def parse_items(body: bytes, limit: int) -> list[dict]:
    """The feed's first `limit` items as {title, link, date}; FeedError if it is no feed."""
    try:
        root = fromstring(body)
    except (DefusedXmlException, SyntaxError, ValueError) as error:
        raise FeedError(f"flux illisible ({error.__class__.__name__})") from error
    items = []
    if root.tag == "rss" or root.find("channel") is not None:
        for item in root.iter("item"):
            items.append(
                {
                    "title": _text(item, "title"),
                    "link": _text(item, "link", "guid"),
                    "date": _date(_text(item, "pubDate")),
                }
            )
    elif root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            link = next(
                (
                    e.get("href", "")
                    for e in entry.findall(f"{ATOM}link")
                    if e.get("rel", "alternate") == "alternate"
                ),
                "",
            )
            items.append(
                {
                    "title": _text(entry, f"{ATOM}title"),
                    "link": link,
                    "date": _date(_text(entry, f"{ATOM}updated", f"{ATOM}published")),
                }
            )
    else:
        raise FeedError("ni RSS ni Atom")
    items = [i for i in items if i["title"] and i["link"].startswith(("http://", "https://"))]
    return items[:limit]


def refresh(feed: ExternalFeed) -> str | None:
    """Fetch one feed now; None when it went well, else the reason (the last good items
    stay as they are). The sites' caches change only when what they show changed."""
    now = timezone.now()
    shown_before = (feed.items, feed.state)
    try:
        body, _content_type = fetch(feed.url, max_bytes=MAX_BYTES)
        items = parse_items(body, feed.max_items)
    except (FetchError, FeedError) as error:
        feed.state, feed.last_error = ExternalFeed.State.FAILING, str(error)
        reason = str(error)
    else:
        feed.items, feed.state, feed.last_error = items, ExternalFeed.State.OK, ""
        feed.last_success_at = now
        reason = None
    feed.last_attempt_at = now
    feed.save()
    if (feed.items, feed.state) != shown_before:
        bump_content_version()
    return reason
