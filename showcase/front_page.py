"""What the national front page shows. A fixed number of queries whatever the number of
proposals: each list is one bounded query, then the pages' own fields in one query per
page type. The rendered selection is cached per content version until its first feature
or event ends (showcase_tags); a decision or an unpublication bumps the version, so it
shows at the next request, and so does an expired feature."""

from dataclasses import dataclass

from django.db.models import IntegerField, Value, prefetch_related_objects
from django.utils import timezone

from wagtail.models import Page

from agenda.models import EventPage
from portal.covers import prefetch_covers
from publications.models import NewsPage

from .models import Proposal, Section

FEATURED_LIMIT = 6
PER_SECTION = 4
NETWORK_EVENTS = 4
NETWORK_NEWS = 3


@dataclass
class Item:
    """One card: the page (its specific type) and, for a showcased item, its proposal."""

    page: Page
    proposal: Proposal | None = None

    @property
    def centre(self):
        return self.proposal.centre if self.proposal else None

    @property
    def section(self):
        return self.proposal.section if self.proposal else None

    @property
    def date(self):
        page = self.page
        return (
            getattr(page, "starts_at", None)
            or getattr(page, "publication_date", None)
            or getattr(page, "date", None)
        )

    @property
    def summary(self):
        return getattr(self.page, "summary", "")


def _with_pages(proposals, private) -> list[Item]:
    """The proposals' pages, live and public, as their specific type (one query per type)."""
    ids = [proposal.page_id for proposal in proposals]
    pages = {
        page.pk: page for page in Page.objects.live().exclude(private).filter(pk__in=ids).specific()
    }
    return [
        Item(pages[proposal.page_id], proposal)
        for proposal in proposals
        if proposal.page_id in pages
    ]


def showcase_sections(national_home, now=None) -> dict:
    now = now or timezone.now()
    approved = Proposal.objects.on_front_page()
    featured_rows = approved.featured(now).order_by("featured_order", "-approved_at")
    # Each section's latest, featured ones excluded later: as many more as may be featured.
    lists = [featured_rows[:FEATURED_LIMIT]]
    for section in Section.values:
        rows = approved.filter(section=section)
        if section == Section.AGENDA:
            # A front page's agenda announces: events over are left to the agenda itself.
            rows = rows.filter(page__eventpage__ends_at__gte=now)
        lists.append(rows.order_by("-approved_at", "-pk")[: PER_SECTION + FEATURED_LIMIT])
    # The proposals table read once: the four bounded lists in one UNION ALL, each row
    # marked with its list (the front page read it four times), then their centres.
    # (Each bounded list as `pk IN (… LIMIT n)`: SQLite takes no LIMIT in a union's parts.)
    marked = [
        Proposal.objects.filter(pk__in=rows.values("pk"))
        .annotate(list_number=Value(number, output_field=IntegerField()))
        .order_by()
        for number, rows in enumerate(lists)
    ]
    found = list(marked[0].union(*marked[1:], all=True))
    prefetch_related_objects(found, "centre")
    by_list = [[] for _ in lists]
    for proposal in found:
        by_list[proposal.list_number].append(proposal)
    # A union keeps no order: each list sorted again as its query was.
    by_list[0].sort(key=lambda p: (p.featured_order, -p.approved_at.timestamp()))
    for rows in by_list[1:]:
        rows.sort(key=lambda p: (p.approved_at.timestamp(), p.pk), reverse=True)
    featured = by_list[0]
    shown = {proposal.pk for proposal in featured}
    latest = {
        section: [p for p in by_list[number] if p.pk not in shown][:PER_SECTION]
        for number, section in enumerate(Section.values, start=1)
    }
    # The private sections, read once for the three lists below (`public()` reads them
    # at each call).
    private = Page.objects.private_q()
    items = _with_pages(featured + [p for rows in latest.values() for p in rows], private)
    by_proposal = {item.proposal.pk: item for item in items}

    # The network's own: the national agenda and the working groups' spaces.
    events = (
        EventPage.objects.live()
        .exclude(private)
        .descendant_of(national_home)
        .filter(ends_at__gte=now)
        .select_related("event_format")
        .order_by("starts_at", "pk")[:NETWORK_EVENTS]
    )
    news = (
        NewsPage.objects.live()
        .exclude(private)
        .descendant_of(national_home)
        .order_by("-date", "-pk")[:NETWORK_NEWS]
    )
    events, news = list(events), list(news)
    # The cards' images, one set of queries per page type whatever the number of cards.
    prefetch_covers([item.page for item in items] + events + news)
    return {
        "featured": [by_proposal[p.pk] for p in featured if p.pk in by_proposal],
        "latest": [
            (Section(section), [by_proposal[p.pk] for p in rows if p.pk in by_proposal])
            for section, rows in latest.items()
        ],
        "network_events": [Item(event) for event in events],
        "network_news": [Item(item) for item in news],
    }
