"""Daily rollups: each closed day's figures per site, written once, kept for the long
run (raw events go after 13 months, see `purge_events`)."""

from calendar import monthrange
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from .figures import ROW, DayFigures, summarise
from .models import DocumentDay, Event, PageDay, PageMonth, ReferrerDay, ReplayDay, SiteDay
from .privacy import local_day
from .queue import flush

RAW_EVENTS_KEPT_MONTHS = 13


def event_rows(events):
    return events.order_by("site_id", "day", "visitor", "occurred_at").values_list(*ROW)


def days(start: date, end: date):
    while start <= end:
        yield start
        start += timedelta(days=1)


def write_days(site_id: int, start: date, end: date, figures: dict, titles: dict, page_titles=None):
    """Replace the rollups of [start, end] for one site: a few bulk queries, whatever
    the number of days (a zero row for a day without events marks it as done).
    `titles`: documents' titles by id; `page_titles`: replayed events' titles by id."""
    page_titles = page_titles or {}
    for model in (SiteDay, PageDay, DocumentDay, ReferrerDay, ReplayDay):
        model.objects.filter(site_id=site_id, day__gte=start, day__lte=end).delete()
    site_days, page_days, document_days, referrer_days, replay_days = [], [], [], [], []
    for day in days(start, end):
        day_figures = figures.get((site_id, day)) or DayFigures()
        site_days.append(SiteDay(site_id=site_id, day=day, **day_figures.totals.as_dict()))
        page_days += [
            PageDay(
                site_id=site_id,
                day=day,
                path=path,
                page_id=page.page_id,
                page_views=page.page_views,
                unique_page_views=page.unique_page_views,
                visitors=page.visitors,
                entries=page.entries,
            )
            for path, page in day_figures.pages.items()
        ]
        document_days += [
            DocumentDay(
                site_id=site_id,
                day=day,
                document_id=document_id,
                title=titles.get(document_id, "")[:255],
                downloads=doc.downloads,
                unique_downloads=doc.unique_downloads,
            )
            for document_id, doc in day_figures.documents.items()
        ]
        referrer_days += [
            ReferrerDay(site_id=site_id, day=day, host=host, sessions=sessions)
            for host, sessions in day_figures.referrers.items()
        ]
        replay_days += [
            ReplayDay(
                site_id=site_id,
                day=day,
                page_id=page_id,
                title=page_titles.get(page_id, "")[:255],
                plays=replay.plays,
                unique_plays=replay.unique_plays,
            )
            for page_id, replay in day_figures.replays.items()
        ]
    for model, rows in (
        (SiteDay, site_days),
        (PageDay, page_days),
        (DocumentDay, document_days),
        (ReferrerDay, referrer_days),
        (ReplayDay, replay_days),
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    write_months(site_id, start, end)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def write_months(site_id: int, start: date, end: date):
    """Rewrite the PageMonth rows of every month that [start, end] touches, from that
    month's PageDay rows (in the caller's transaction)."""
    first, last = start.replace(day=1), month_end(end)
    PageMonth.objects.filter(site_id=site_id, month__gte=first, month__lte=last).delete()
    rows = (
        PageDay.objects.filter(site_id=site_id, day__gte=first, day__lte=last)
        .annotate(month_=TruncMonth("day"))
        .values("month_", "path")
        .annotate(
            pid=Max("page_id"),
            views=Sum("page_views"),
            unique=Sum("unique_page_views"),
            visitors_=Sum("visitors"),
            entries_=Sum("entries"),
        )
        .order_by()
    )
    PageMonth.objects.bulk_create(
        (
            PageMonth(
                site_id=site_id,
                month=row["month_"],
                path=row["path"],
                page_id=row["pid"],
                page_views=row["views"],
                unique_page_views=row["unique"],
                visitors=row["visitors_"],
                entries=row["entries_"],
            )
            for row in rows
        ),
        batch_size=2000,
    )


def rebuild_months() -> int:
    """Every site's PageMonth rows from its PageDay rows (after an upgrade); returns them."""
    for site_id, first, last in (
        PageDay.objects.values("site_id")
        .annotate(first=Min("day"), last=Max("day"))
        .values_list("site_id", "first", "last")
        .order_by()
    ):
        with transaction.atomic():
            write_months(site_id, first, last)
    return PageMonth.objects.count()


def replayed_titles(day_figures) -> dict:
    """The titles of the events whose replay was played ({page id: title})."""
    page_ids = {pk for f in day_figures for pk in f.replays if pk is not None}
    if not page_ids:
        return {}
    return dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "title"))


def roll_up(until: date | None = None) -> int:
    """Write every closed day (up to yesterday, Paris) not yet rolled up, per site,
    from the day after its last rollup (or its first event). Returns the days written."""
    until = until or local_day() - timedelta(days=1)
    flush()  # the last beacons of yesterday may still be queued (stats.queue)
    written = 0
    for site_id in Site.objects.values_list("pk", flat=True):
        last = SiteDay.objects.filter(site_id=site_id).aggregate(last=Max("day"))["last"]
        if last is not None:
            start = last + timedelta(days=1)
        else:
            start = (
                Event.objects.filter(site_id=site_id).aggregate(first=Min("day"))["first"] or until
            )
        if start > until:
            continue
        events = Event.objects.filter(site_id=site_id, day__gte=start, day__lte=until)
        figures = summarise(event_rows(events).iterator(chunk_size=5000))
        document_ids = {d for f in figures.values() for d in f.documents if d is not None}
        titles = dict(
            get_document_model().objects.filter(pk__in=document_ids).values_list("pk", "title")
        )
        page_titles = replayed_titles(figures.values())
        with transaction.atomic():
            write_days(site_id, start, until, figures, titles, page_titles)
        written += (until - start).days + 1
    return written


def months_ago(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def purge_events(now=None) -> int:
    """Delete raw events older than 13 months, once their days are rolled up."""
    roll_up()
    limit = months_ago(local_day(now or timezone.now()), RAW_EVENTS_KEPT_MONTHS)
    return Event.objects.filter(day__lt=limit).delete()[0]
