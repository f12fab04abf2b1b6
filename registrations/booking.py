"""Registering, cancelling and promoting from the waiting list.

Every change to the seats of an opening runs in a transaction that first locks the
opening's row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite writes one transaction at a
time anyway): the count of confirmed seats read under the lock is the count when the new
seat is written, so parallel registrations never overbook, and the waiting list is
promoted in order (first queued, first promoted). Mails are queued once the transaction
commits (`mails`), the page caches are renewed when a session fills up or frees a place."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from agenda.models import EventPage, EventSeriesPage
from portal.cache import bump_content_version, cached

from .models import Opening, Registrant, Seat, erasure


def opening_paths(request=None) -> frozenset:
    """The tree paths of the pages with an opening, cached per content version (an
    opening saved or deleted bumps it: `apps`): an event page without registrations
    costs no query."""
    return cached(
        "registrations:opening-paths",
        lambda: frozenset(Opening.objects.values_list("page__path", flat=True)),
        request,
    )


def opening_for(page, request=None):
    """The opening a page shows: its own, else (an event of a cycle) its cycle's; None
    without one. The parent is found by its tree path."""
    paths = [page.path, page.path[: -page.steplen]]
    if not opening_paths(request).intersection(paths):
        return None
    found = list(
        Opening.objects.filter(page__path__in=paths)
        .select_related("page")
        .order_by("-page__depth")[:1]
    )
    return found[0] if found else None


def sessions_of(opening) -> list:
    """The events an opening registers to: the event, or the cycle's live sessions."""
    page = opening.page.specific
    if isinstance(page, EventSeriesPage):
        return list(page.sessions())
    return [page] if isinstance(page, EventPage) else []


def closes_at(opening, session):
    """The opening's own closing, else the event's registration deadline (typed for
    its outside link: the end of that day in the event's time zone), else its start."""
    if opening.closes_at:
        return opening.closes_at
    deadline = session.registration_deadline
    if deadline is None or session.starts_at is None:
        return session.starts_at
    zone = ZoneInfo(session.time_zone or "Europe/Paris")
    end_of_day = datetime.combine(deadline + timedelta(days=1), time(0), tzinfo=zone)
    return min(end_of_day, session.starts_at)


def confirmed_counts(event_ids) -> dict:
    rows = (
        Seat.objects.filter(event_id__in=event_ids, status=Seat.CONFIRMED)
        .values("event_id")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(event_ids, 0)
    counts.update({row["event_id"]: row["n"] for row in rows})
    return counts


def present_counts(paths: dict, request=None) -> dict:
    """{event id: people marked present} for the events of `paths` ({id: tree path})
    whose check-in was recorded (a seat there marked present or absent): the public
    participant count (agenda's `public_participants_count`), read when shown. Only the
    events with an opening, their own or their cycle's, are looked up (cached paths): a
    page or a list without any costs no query."""
    registered = opening_paths(request)
    ids = [
        pk
        for pk, path in paths.items()
        if registered.intersection([path, path[: -EventPage.steplen]])
    ]
    if not ids:
        return {}
    rows = (
        Seat.objects.filter(event_id__in=ids, status=Seat.CONFIRMED, attended__isnull=False)
        .values("event_id")
        .annotate(present=Count("pk", filter=Q(attended=True)))
        .order_by()
    )
    return {row["event_id"]: row["present"] for row in rows}


@dataclass
class SessionState:
    event: EventPage
    confirmed: int
    open: bool
    full: bool

    @property
    def state(self) -> str:
        """`open`, `waiting` (full, the waiting list is open), `full` or `closed`."""
        if not self.open:
            return "closed"
        if self.full:
            return "waiting" if self.waiting_list else "full"
        return "open"

    waiting_list: bool = True
    left: int | None = None


def states(opening, sessions=None, now=None) -> list[SessionState]:
    now = now or timezone.now()
    sessions = sessions_of(opening) if sessions is None else sessions
    counts = confirmed_counts([s.pk for s in sessions])
    result = []
    for session in sessions:
        deadline = closes_at(opening, session)
        is_open = opening.is_open and (deadline is None or now < deadline)
        full = opening.capacity is not None and counts[session.pk] >= opening.capacity
        left = None if opening.capacity is None else max(opening.capacity - counts[session.pk], 0)
        result.append(
            SessionState(session, counts[session.pk], is_open, full, opening.waiting_list, left)
        )
    return result


@dataclass
class Outcome:
    registrant: Registrant
    confirmed: list = field(default_factory=list)  # events
    waiting: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # full without a waiting list, or closed
    already: list = field(default_factory=list)  # the address had a seat there already


DETAILS = ("name", "organisation", "profile", "territory", "accessibility", "answer")


def register(opening, email, sessions, **details) -> Outcome:
    """Registers `email` to `sessions` (events of the opening). Idempotent per address:
    a session the address holds a seat in is left as it is."""
    email = email.strip().lower()
    with transaction.atomic():
        opening = Opening.objects.select_for_update().get(pk=opening.pk)
        registrant, created = Registrant.objects.get_or_create(
            opening=opening,
            email=email,
            defaults={k: v for k, v in details.items() if k in DETAILS and v is not None},
        )
        outcome = Outcome(registrant)
        held = set(registrant.seats.values_list("event_id", flat=True)) if not created else set()
        now = timezone.now()
        filled = False
        for state in states(opening, sessions, now):
            event = state.event
            if event.pk in held:
                outcome.already.append(event)
                continue
            if not state.open or (state.full and not opening.waiting_list):
                outcome.refused.append(event)
                continue
            status = Seat.WAITING if state.full else Seat.CONFIRMED
            Seat.objects.create(registrant=registrant, event=event, status=status, queued_at=now)
            if status == Seat.CONFIRMED:
                outcome.confirmed.append(event)
                filled |= state.left == 1
            else:
                outcome.waiting.append(event)
        if outcome.confirmed or outcome.waiting:
            from .signals import remember_dates

            remember_dates(opening, outcome.confirmed + outcome.waiting)
        if created and not (outcome.confirmed or outcome.waiting):
            registrant.delete()  # nothing taken: nothing kept
        elif outcome.confirmed or outcome.waiting:
            from . import mails

            mails.queue(
                mails.CONFIRMATION,
                registrant.pk,
                [e.pk for e in outcome.confirmed + outcome.waiting],
            )
        if filled:
            renew_pages(opening)
    return outcome


def has_started(event, now) -> bool:
    return event.starts_at is not None and event.starts_at <= now


@dataclass
class Cancellation:
    cancelled: list = field(default_factory=list)  # sessions to come: seats given up
    kept: list = field(default_factory=list)  # sessions started: seats kept as counts


def cancel(registrant_id: int, event_ids=None, now=None) -> Cancellation | None:
    """Cancels the registrant's seats (all of them by default: their details are erased
    with them) and gives the freed places to the waiting list, in order. A session that
    has started keeps its seat, as a count for the figures (its check-in marks are
    what the centre reports): the personal link then only erases the details, as the
    daily job does a year later. None when the registration is gone already."""
    now = now or timezone.now()
    with transaction.atomic():
        registrant = Registrant.objects.filter(pk=registrant_id).first()
        if registrant is None:
            return None
        opening = Opening.objects.select_for_update().get(pk=registrant.opening_id)
        seats = registrant.seats.select_related("event")
        if event_ids is not None:
            seats = seats.filter(event_id__in=event_ids)
        result = Cancellation()
        gone = []
        for seat in seats:
            if has_started(seat.event, now):
                result.kept.append(seat.event)
            else:
                result.cancelled.append(seat.event)
                gone.append(seat)
        Seat.objects.filter(pk__in=[s.pk for s in gone]).delete()
        if not registrant.seats.exists():
            registrant.delete()
        elif event_ids is None:
            Registrant.objects.filter(pk=registrant.pk).update(**erasure(now))
        promote(opening, [s.event_id for s in gone if s.status == Seat.CONFIRMED], now)
    return result


def promote(opening, event_ids, now=None) -> list[Seat]:
    """Gives the free places of these sessions to the first on the waiting list. Call
    with the opening locked (inside `register`/`cancel`/the admin's save). Only sessions
    still to come: a place freed at a session already held goes to nobody (a mail
    "une place s'est libérée" would come too late)."""
    now = now or timezone.now()
    event_ids = set(
        EventPage.objects.filter(pk__in=set(event_ids or ()))
        .exclude(starts_at__lte=now)
        .values_list("pk", flat=True)
    )
    if not event_ids:
        return []
    counts = confirmed_counts(sorted(event_ids))
    promoted = []
    was_full = False
    for event_id, confirmed in counts.items():
        if opening.capacity is None:
            free = None
        else:
            free = opening.capacity - confirmed
            was_full |= confirmed + 1 >= opening.capacity
            if free <= 0:
                continue
        waiting = Seat.objects.filter(event_id=event_id, status=Seat.WAITING).order_by(
            "queued_at", "pk"
        )
        for seat in waiting[:free] if free is not None else waiting:
            seat.status = Seat.CONFIRMED
            seat.promoted_at = now
            seat.save(update_fields=["status", "promoted_at"])
            promoted.append(seat)
    from . import mails

    for seat in promoted:
        mails.queue(mails.PROMOTION, seat.registrant_id, [seat.event_id])
    if was_full:
        renew_pages(opening)
    return promoted


def promote_all(opening) -> list[Seat]:
    """After an editor changed the opening (more places, the waiting list closed)."""
    with transaction.atomic():
        opening = Opening.objects.select_for_update().get(pk=opening.pk)
        promoted = promote(opening, [s.pk for s in sessions_of(opening)])
        renew_pages(opening)
    return promoted


def renew_pages(opening):
    """The event pages show "complet": their sites' cached pages (the centre's and the
    national portal's, which serves `/evenement/<slug>`) are renewed when it changes."""
    from wagtail.models import Site

    site = opening.page.get_site()
    national = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    bump_content_version(sites=sorted({pk for pk in (site and site.pk, national) if pk}))
