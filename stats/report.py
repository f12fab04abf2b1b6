"""A period's figures for one or several sites: rollups for the days already rolled
up, raw events for the others (today included), added together. The network's figures
are the sum of its sites' (a visitor of two sites counts twice, as the brief asks)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, OuterRef, Q, Subquery, Sum

from wagtail.models import Page, Site

from .figures import DocumentFigures, PageFigures, ReplayFigures, Totals, summarise
from .models import DocumentDay, Event, PageDay, PageMonth, ReferrerDay, ReplayDay, SiteDay
from .privacy import local_day
from .queue import flush
from .rollup import event_rows, month_end

TOTAL_SUMS = {name: Sum(name) for name in Totals.COUNTS}


@dataclass
class Report:
    site_ids: list
    start: date
    end: date
    totals: Totals = field(default_factory=Totals)
    by_day: dict = field(default_factory=lambda: defaultdict(Totals))
    by_site: dict = field(default_factory=lambda: defaultdict(Totals))
    # (site_id, path) -> PageFigures
    pages: dict = field(default_factory=lambda: defaultdict(PageFigures))
    # document_id -> DocumentFigures
    documents: dict = field(default_factory=lambda: defaultdict(DocumentFigures))
    referrers: dict = field(default_factory=lambda: defaultdict(int))
    # event page id -> ReplayFigures
    replays: dict = field(default_factory=lambda: defaultdict(ReplayFigures))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous_period(self) -> tuple[date, date]:
        length = timedelta(days=self.days)
        return self.start - length, self.end - length

    def top_pages(self, limit=None):
        ranked = sorted(self.pages.items(), key=lambda item: (-item[1].page_views, item[0]))
        return ranked[:limit] if limit else ranked

    def top_documents(self, limit=None):
        ranked = sorted(
            self.documents.items(), key=lambda item: (-item[1].downloads, item[1].title)
        )
        return ranked[:limit] if limit else ranked

    def top_replays(self, limit=None):
        ranked = sorted(self.replays.items(), key=lambda item: (-item[1].plays, item[1].title))
        return ranked[:limit] if limit else ranked

    def top_referrers(self, limit=None):
        ranked = sorted(self.referrers.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:limit] if limit else ranked

    def by_month(self) -> dict:
        months = defaultdict(Totals)
        for day, totals in self.by_day.items():
            months[day.replace(day=1)].add(totals)
        return dict(sorted(months.items()))


def _live_filter(site_ids, start, end):
    """Raw events of the days after each site's last rollup. Queued page views
    (stats.queue) are stored first when the period reaches yesterday or today: today's
    figures hold every beacon answered so far."""
    if end >= local_day() - timedelta(days=1):
        flush()
    # Each site's last rolled-up day, one index probe per site ((site, day) is unique):
    # a GROUP BY over every SiteDay row would read years of rows for 20 values.
    last_day = SiteDay.objects.filter(site_id=OuterRef("pk")).order_by("-day").values("day")[:1]
    watermarks = dict(
        Site.objects.filter(pk__in=site_ids)
        .annotate(last=Subquery(last_day))
        .values_list("pk", "last")
    )
    condition = Q()
    for site_id in site_ids:
        last = watermarks.get(site_id)
        condition |= Q(site_id=site_id, day__gt=last) if last else Q(site_id=site_id)
    return Event.objects.filter(condition, day__gte=start, day__lte=end)


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and last day of the calendar months lying wholly within [start, end]."""
    first = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last = end if end == month_end(end) else end.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else None


PAGE_SUMS = {
    "pid": Max("page_id"),
    "views": Sum("page_views"),
    "unique": Sum("unique_page_views"),
    "visitors_": Sum("visitors"),
    "entries_": Sum("entries"),
}


def rolled_up_pages(site_ids, start: date, end: date, months=True) -> dict:
    """{(site_id, path): PageFigures} from the rollups: PageMonth for the whole months of
    the period, PageDay for the days around them (a year is 12 monthly rows a page
    instead of 365 daily ones). The page id is the highest seen, as one query over
    PageDay would give."""
    parts, months = [], whole_months(start, end) if months else None
    if months is None:
        parts.append(PageDay.objects.filter(day__gte=start, day__lte=end))
    else:
        first, last = months
        parts.append(PageMonth.objects.filter(month__gte=first, month__lte=last))
        if start < first:
            parts.append(PageDay.objects.filter(day__gte=start, day__lt=first))
        if last < end:
            parts.append(PageDay.objects.filter(day__gt=last, day__lte=end))
    pages = {}
    for rows in parts:
        for row in (
            rows.filter(site_id__in=site_ids)
            .values("site_id", "path")
            .annotate(**PAGE_SUMS)
            .order_by()
        ):
            figures = PageFigures(
                row["pid"], row["views"], row["unique"], row["visitors_"], row["entries_"]
            )
            seen = pages.get((row["site_id"], row["path"]))
            if seen is None:
                pages[(row["site_id"], row["path"])] = figures
            else:
                page_ids = [pid for pid in (seen.page_id, figures.page_id) if pid is not None]
                seen.add(figures)
                seen.page_id = max(page_ids) if page_ids else None
    return pages


def build(site_ids, start: date, end: date, *, details=True, months=True) -> Report:
    """`months=False` reads daily page rollups only (the benchmark's "before")."""
    site_ids = list(site_ids)
    report = Report(site_ids, start, end)
    if not site_ids:
        return report
    scope = {"site_id__in": site_ids, "day__gte": start, "day__lte": end}
    # (site, day) is unique: each row is one SiteDay, read as it is (no GROUP BY).
    for row in SiteDay.objects.filter(**scope).values("site_id", "day", *Totals.COUNTS):
        totals = Totals(**{n: row[n] for n in Totals.COUNTS})
        report.by_day[row["day"]].add(totals)
        report.by_site[row["site_id"]].add(totals)
    if details:
        for key, figures in rolled_up_pages(site_ids, start, end, months).items():
            report.pages[key].add(figures)
        for row in (
            DocumentDay.objects.filter(**scope)
            .values("document_id")
            .annotate(
                title_=Max("title"), downloads_=Sum("downloads"), unique=Sum("unique_downloads")
            )
        ):
            report.documents[row["document_id"]].add(
                DocumentFigures(row["title_"], row["downloads_"], row["unique"])
            )
        for row in ReferrerDay.objects.filter(**scope).values("host").annotate(n=Sum("sessions")):
            report.referrers[row["host"]] += row["n"]
        for row in (
            ReplayDay.objects.filter(**scope)
            .values("page_id")
            .annotate(title_=Max("title"), plays_=Sum("plays"), unique=Sum("unique_plays"))
            .order_by()
        ):
            report.replays[row["page_id"]].add(
                ReplayFigures(row["title_"], row["plays_"], row["unique"])
            )
    # The days after the last rollup: few rows, fetched at once (a server-side cursor
    # would cost more than it saves).
    live = summarise(event_rows(_live_filter(site_ids, start, end)))
    live_document_ids, live_page_ids = set(), set()
    for (site_id, day), figures in live.items():
        report.by_day[day].add(figures.totals)
        report.by_site[site_id].add(figures.totals)
        if details:
            for path, page in figures.pages.items():
                report.pages[(site_id, path)].add(page)
            for document_id, doc in figures.documents.items():
                report.documents[document_id].add(doc)
                live_document_ids.add(document_id)
            for host, sessions in figures.referrers.items():
                report.referrers[host] += sessions
            for page_id, replay in figures.replays.items():
                report.replays[page_id].add(replay)
                live_page_ids.add(page_id)
    if live_page_ids - {None}:
        for pk, title in Page.objects.filter(pk__in=live_page_ids - {None}).values_list(
            "pk", "title"
        ):
            report.replays[pk].title = report.replays[pk].title or title
    if live_document_ids:
        from wagtail.documents import get_document_model

        for pk, title in (
            get_document_model().objects.filter(pk__in=live_document_ids).values_list("pk", "title")
        ):
            report.documents[pk].title = report.documents[pk].title or title
    for totals in report.by_day.values():
        report.totals.add(totals)
    return report


def page_by_day(page_id: int, site_ids, start: date, end: date) -> dict:
    """One page's figures per day ({day: PageFigures}), for its own statistics."""
    result = defaultdict(PageFigures)
    for row in (
        PageDay.objects.filter(page_id=page_id, site_id__in=site_ids, day__gte=start, day__lte=end)
        .values("day")
        .annotate(
            views=Sum("page_views"),
            unique=Sum("unique_page_views"),
            visitors_=Sum("visitors"),
            entries_=Sum("entries"),
        )
    ):
        result[row["day"]].add(
            PageFigures(page_id, row["views"], row["unique"], row["visitors_"], row["entries_"])
        )
    live = summarise(event_rows(_live_filter(list(site_ids), start, end)))
    for (_site_id, day), figures in live.items():
        for page in figures.pages.values():
            if page.page_id == page_id:
                result[day].add(page)
    return dict(sorted(result.items()))
