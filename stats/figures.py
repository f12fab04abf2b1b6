"""The definitions, computed from one site-day's raw events (Matomo's and Plausible's):

- page view: one beacon for a live page;
- session: one visitor's events (page views, downloads and replay plays) with gaps of
  30 minutes or less; a visitor key lives one day, so a session never crosses midnight (Paris);
- visitor: distinct visitor keys of the day (a longer period sums the days);
- year visitor: a visitor of the day whose browser had no mark of this year's visit to
  the site (summed over a year: the year's distinct visitors, without an identifier);
- bounce: a session made of a single page view and nothing else;
- duration: last event minus first event of the session;
- unique page views / downloads: sessions that viewed that page / downloaded that
  document at least once; entry page: the first page view of a session;
- replay plays / unique plays: redirects to an event's replay; sessions that played that
  event's replay at least once;
- referrer: the host a session entered from (sessions counted per host).

Every figure is a count over site-days, so periods and the network add them up."""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import timedelta

SESSION_GAP = timedelta(minutes=30)

# What one event row holds, in the order the rollup and the live report read it.
ROW = (
    "site_id",
    "day",
    "visitor",
    "occurred_at",
    "kind",
    "page_id",
    "path",
    "document_id",
    "referrer_host",
    "first_visit",
    "first_of_year",
)


@dataclass
class Totals:
    page_views: int = 0
    unique_page_views: int = 0
    visitors: int = 0
    new_visitors: int = 0
    sessions: int = 0
    bounces: int = 0
    duration_seconds: int = 0
    downloads: int = 0
    unique_downloads: int = 0
    year_visitors: int = 0
    replay_plays: int = 0

    COUNTS = (
        "page_views",
        "unique_page_views",
        "visitors",
        "new_visitors",
        "sessions",
        "bounces",
        "duration_seconds",
        "downloads",
        "unique_downloads",
        "year_visitors",
        "replay_plays",
    )

    def add(self, other):
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + (getattr(other, name, 0) or 0))
        return self

    @property
    def returning_visitors(self) -> int:
        return self.visitors - self.new_visitors

    @property
    def bounce_rate(self) -> float:
        """Share of sessions that bounced, 0..1."""
        return self.bounces / self.sessions if self.sessions else 0.0

    @property
    def average_duration_seconds(self) -> float:
        return self.duration_seconds / self.sessions if self.sessions else 0.0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.COUNTS}


@dataclass
class PageFigures:
    page_id: int | None = None
    page_views: int = 0
    unique_page_views: int = 0
    visitors: int = 0
    entries: int = 0

    def add(self, other):
        self.page_id = self.page_id or other.page_id
        for name in ("page_views", "unique_page_views", "visitors", "entries"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class DocumentFigures:
    title: str = ""
    downloads: int = 0
    unique_downloads: int = 0

    def add(self, other):
        self.title = self.title or other.title
        self.downloads += other.downloads
        self.unique_downloads += other.unique_downloads
        return self


@dataclass
class ReplayFigures:
    """One event's replay: plays, and sessions that played it (unique plays)."""

    title: str = ""
    plays: int = 0
    unique_plays: int = 0

    def add(self, other):
        self.title = self.title or other.title
        self.plays += other.plays
        self.unique_plays += other.unique_plays
        return self


@dataclass
class DayFigures:
    """One site-day: totals, per page path, per document id, per referrer host, per
    event whose replay was played (page id)."""

    totals: Totals = field(default_factory=Totals)
    pages: dict = field(default_factory=lambda: defaultdict(PageFigures))
    documents: dict = field(default_factory=lambda: defaultdict(DocumentFigures))
    referrers: dict = field(default_factory=lambda: defaultdict(int))
    replays: dict = field(default_factory=lambda: defaultdict(ReplayFigures))


def split_sessions(events):
    """One visitor's events of one day, sorted by time, cut at gaps over 30 minutes."""
    session = []
    for event in events:
        if session and event["occurred_at"] - session[-1]["occurred_at"] > SESSION_GAP:
            yield session
            session = []
        session.append(event)
    if session:
        yield session


def add_visitor(day: DayFigures, events):
    totals = day.totals
    totals.visitors += 1
    totals.new_visitors += any(e["first_visit"] for e in events)
    totals.year_visitors += any(e["first_of_year"] for e in events)
    seen_paths = set()
    for event in events:
        if event["kind"] == "v":
            page = day.pages[event["path"]]
            page.page_id = page.page_id or event["page_id"]
            page.page_views += 1
            if event["path"] not in seen_paths:
                seen_paths.add(event["path"])
                page.visitors += 1
    for session in split_sessions(events):
        totals.sessions += 1
        totals.duration_seconds += int(
            (session[-1]["occurred_at"] - session[0]["occurred_at"]).total_seconds()
        )
        views = [e for e in session if e["kind"] == "v"]
        downloads = [e for e in session if e["kind"] == "d"]
        replays = [e for e in session if e["kind"] == "r"]
        totals.page_views += len(views)
        totals.downloads += len(downloads)
        totals.replay_plays += len(replays)
        if len(views) == 1 and not downloads and not replays:
            totals.bounces += 1
        if session[0]["kind"] == "v":
            day.pages[session[0]["path"]].entries += 1
        if session[0]["referrer_host"]:
            day.referrers[session[0]["referrer_host"]] += 1
        for path in {e["path"] for e in views}:
            day.pages[path].unique_page_views += 1
            totals.unique_page_views += 1
        for document_id in {e["document_id"] for e in downloads}:
            day.documents[document_id].unique_downloads += 1
            totals.unique_downloads += 1
        for event in downloads:
            day.documents[event["document_id"]].downloads += 1
        for page_id in {e["page_id"] for e in replays}:
            day.replays[page_id].unique_plays += 1
        for event in replays:
            day.replays[event["page_id"]].plays += 1


def summarise(rows):
    """{(site_id, day): DayFigures} from event rows (tuples in ROW order) sorted by site,
    day, visitor and time, as the database returns them."""
    result = defaultdict(DayFigures)
    current_key, visitor_events = None, []
    for values in rows:
        event = dict(zip(ROW, values))
        key = (event["site_id"], event["day"], event["visitor"])
        if key != current_key and visitor_events:
            add_visitor(result[current_key[:2]], visitor_events)
            visitor_events = []
        current_key = key
        visitor_events.append(event)
    if visitor_events:
        add_visitor(result[current_key[:2]], visitor_events)
    return dict(result)


def totals_fields():
    return [f.name for f in fields(Totals)]
