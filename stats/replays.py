"""Replay plays: counted on the server when an event page redirects to its replay
(agenda's `replay/` route, hook `before_serve_replay`), with the filters of downloads;
and the plays of a period per site and per event, for the yearly report's events
section and a page's own statistics (rollups, then the raw events of the days not yet
rolled up)."""

import logging
from collections import defaultdict

from django.db import DatabaseError
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from .collect import ignored, new_event, referrer_host
from .models import Event, ReplayDay, SiteDay
from .report import _live_filter

logger = logging.getLogger(__name__)


def record_play(page, request):
    """One play of `page`'s replay for the site whose host redirected. Only GET counts
    (a link checker's HEAD is not a play); bots, DNT/GPC, opted-out users and the
    visitor's opt-out (`?stats=non`, set on the link by beacon.js) are not counted."""
    if request.method != "GET" or request.GET.get("stats") == "non":
        return
    try:
        site = Site.find_for_request(request)
        if site is None or ignored(request):
            return
        event = new_event(
            request,
            site.pk,
            kind=Event.REPLAY,
            page_id=page.pk,
            path=request.path[:255],
            referrer_host=referrer_host(request.META.get("HTTP_REFERER"), site.hostname),
        )
        if event is not None:
            event.save()
    except DatabaseError:
        # A statistic is never worth a failed redirect.
        logger.exception("replay play of page %s not counted", page.pk)


def plays_by_site(site_ids, start, end) -> dict:
    """{site id: replay plays} over [start, end]."""
    site_ids = list(site_ids)
    plays = defaultdict(int)
    if not site_ids:
        return plays
    for row in (
        SiteDay.objects.filter(site_id__in=site_ids, day__gte=start, day__lte=end)
        .values("site_id")
        .annotate(n=Sum("replay_plays"))
        .order_by()
    ):
        plays[row["site_id"]] += row["n"] or 0
    for row in (
        _live_filter(site_ids, start, end)
        .filter(kind=Event.REPLAY)
        .values("site_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        plays[row["site_id"]] += row["n"]
    return plays


def plays_by_event(site_ids, start, end) -> dict:
    """{site id: {event title: plays}} over [start, end] (a deleted event under the
    title it had when its days were rolled up)."""
    site_ids = list(site_ids)
    if not site_ids:
        return {}
    by_page = defaultdict(lambda: defaultdict(int))
    deleted = defaultdict(lambda: defaultdict(int))
    for row in (
        ReplayDay.objects.filter(site_id__in=site_ids, day__gte=start, day__lte=end)
        .values("site_id", "page_id", "title")
        .annotate(n=Sum("plays"))
        .order_by()
    ):
        if row["page_id"] is None:
            deleted[row["site_id"]][row["title"] or _("(événement supprimé)")] += row["n"]
        else:
            by_page[row["site_id"]][row["page_id"]] += row["n"]
    for row in (
        _live_filter(site_ids, start, end)
        .filter(kind=Event.REPLAY)
        .values("site_id", "page_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if row["page_id"] is None:
            deleted[row["site_id"]][_("(événement supprimé)")] += row["n"]
        else:
            by_page[row["site_id"]][row["page_id"]] += row["n"]
    titles = dict(
        Page.objects.filter(pk__in={pk for pages in by_page.values() for pk in pages}).values_list(
            "pk", "title"
        )
    )
    result = {}
    for site_id in set(by_page) | set(deleted):
        lines = defaultdict(int, deleted.get(site_id, {}))
        for page_id, n in by_page.get(site_id, {}).items():
            lines[titles.get(page_id) or _("(événement supprimé)")] += n
        result[site_id] = dict(lines)
    return result


def page_plays(page_id: int, site_ids, start, end) -> int:
    """One event's replay plays over [start, end]."""
    rolled = (
        ReplayDay.objects.filter(
            page_id=page_id, site_id__in=list(site_ids), day__gte=start, day__lte=end
        ).aggregate(n=Sum("plays"))["n"]
        or 0
    )
    live = (
        _live_filter(list(site_ids), start, end).filter(kind=Event.REPLAY, page_id=page_id).count()
    )
    return rolled + live
