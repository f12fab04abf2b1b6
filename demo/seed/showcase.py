"""Demo front page: some centres' items the coordination has put on the national portal
(two of them featured), and two proposals waiting in its queue, so that the demo shows
the showcase and its moderation rather than an empty front page.

Proposals are written directly, without the decisions' mails and audit entries: the
demo accounts may not exist yet, and nobody decided anything."""

from datetime import timedelta

from django.utils import timezone

from agenda.models import EventPage
from centres.ownership import centre_for_page
from publications.models import NewsPage, PublicationPage
from showcase.decisions import end_of_day
from showcase.models import Proposal, Status
from showcase.rules import section_of

# How many centres have an item of each kind on the front page; the next ones propose.
SHOWCASED_CENTRES = 6
PENDING_CENTRES = 2


def _first_live(model, centre):
    return (
        model.objects.live()
        .descendant_of(centre.home_page)
        .order_by("-first_published_at", "pk")
        .first()
    )


def _ensure_proposal(page, report, *, status, featured_order=None, at=None):
    if page is None or Proposal.objects.filter(page=page).exists():
        return
    at = at or timezone.now()
    approved = status == Status.APPROVED
    Proposal.objects.create(
        page=page,
        centre=centre_for_page(page),
        section=section_of(page),
        title=page.title,
        status=status,
        proposed_at=at,
        decided_at=at if approved else None,
        approved_at=at if approved else None,
        featured_order=featured_order,
        featured_until=end_of_day(timezone.localdate() + timedelta(days=30))
        if featured_order
        else None,
    )
    report.created.append(f"proposition {page.title}")


def seed_showcase(network, report):
    now = timezone.now()
    centres = network.centres[: SHOWCASED_CENTRES + PENDING_CENTRES]
    upcoming = EventPage.objects.filter(ends_at__gte=now)
    for index, centre in enumerate(centres[:SHOWCASED_CENTRES]):
        # Older approvals first, so that the front page's order is stable.
        at = now - timedelta(hours=len(centres) - index)
        event = upcoming.live().descendant_of(centre.home_page).order_by("starts_at", "pk").first()
        _ensure_proposal(
            event,
            report,
            status=Status.APPROVED,
            at=at,
            featured_order=index + 1 if index < 2 else None,
        )
        for model in (PublicationPage, NewsPage):
            _ensure_proposal(_first_live(model, centre), report, status=Status.APPROVED, at=at)
    for centre in centres[SHOWCASED_CENTRES:]:
        _ensure_proposal(_first_live(PublicationPage, centre), report, status=Status.PENDING)
