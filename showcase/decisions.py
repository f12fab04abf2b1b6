"""Every change of a proposal's status goes through here: it is saved, recorded in
Wagtail's audit log (on the proposal, and on the page for its history) and notified."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from centres.ownership import centre_for_page

from .models import Proposal, Status
from .notify import notify_centre, notify_coordination
from .rules import section_of

PROPOSE, SELECT = "showcase.propose", "showcase.select"
APPROVE, FEATURE = "showcase.approve", "showcase.feature"
DECLINE, WITHDRAW = "showcase.decline", "showcase.withdraw"


class DecisionError(ValueError):
    """A decision that does not apply to the proposal as it stands (e.g. declining an
    item that was withdrawn meanwhile)."""


def end_of_day(day):
    """A featured item stays until the end of its last day, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _record(proposal, action, user, **data):
    data = {"proposal": proposal.pk, "title": proposal.title, **data}
    log(instance=proposal, action=action, user=user, data=data)
    if proposal.page_id:
        log(instance=proposal.page.specific_deferred, action=action, user=user, data=data)


def _new(page, user, *, status, note=""):
    page = page.specific_deferred
    now = timezone.now()
    centre = centre_for_page(page)
    return Proposal.objects.create(
        page=page,
        centre=centre,
        section=section_of(page.specific),
        title=page.title,
        note=note,
        status=status,
        proposed_by=user,
        proposed_at=now,
        decided_by=user if status == Status.APPROVED else None,
        decided_at=now if status == Status.APPROVED else None,
        approved_at=now if status == Status.APPROVED else None,
    )


@transaction.atomic
def propose(page, user, note="") -> Proposal:
    proposal = _new(page, user, status=Status.PENDING, note=note)
    _record(proposal, PROPOSE, user, note=note)
    transaction.on_commit(lambda: notify_coordination(proposal))
    return proposal


@transaction.atomic
def select(page, user) -> Proposal:
    """The coordinator puts any published item on the front page, unasked."""
    proposal = _new(page, user, status=Status.APPROVED)
    _record(proposal, SELECT, user)
    transaction.on_commit(lambda: notify_centre(proposal, SELECT))
    return proposal


def _decide(proposal, user, action, allowed_from, **changes):
    with transaction.atomic():
        # Locked, so that two coordinators deciding at once do not both apply.
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if current.status not in allowed_from:
            raise DecisionError(current.get_status_display())
        now = timezone.now()
        for field, value in changes.items():
            setattr(current, field, value)
        current.decided_by, current.decided_at = user, now
        if current.status == Status.APPROVED and current.approved_at is None:
            current.approved_at = now
        current.save()
        _record(
            current,
            action,
            user,
            **{
                key: str(value)
                for key, value in changes.items()
                if key != "status" and value not in (None, "")
            },
        )
        transaction.on_commit(lambda: notify_centre(current, action))
    return current


def approve(proposal, user) -> Proposal:
    """Accepted for the front page (an item featured before goes back to its section)."""
    return _decide(
        proposal,
        user,
        APPROVE,
        (Status.PENDING, Status.APPROVED),
        status=Status.APPROVED,
        featured_order=None,
        featured_until=None,
    )


def feature(proposal, user, order: int, until) -> Proposal:
    return _decide(
        proposal,
        user,
        FEATURE,
        (Status.PENDING, Status.APPROVED),
        status=Status.APPROVED,
        featured_order=order,
        featured_until=end_of_day(until),
    )


def decline(proposal, user, reason: str) -> Proposal:
    return _decide(
        proposal, user, DECLINE, (Status.PENDING,), status=Status.DECLINED, reason=reason
    )


def withdraw(proposal, user, reason: str = "") -> Proposal:
    return _decide(
        proposal,
        user,
        WITHDRAW,
        (Status.PENDING, Status.APPROVED),
        status=Status.WITHDRAWN,
        reason=reason,
        featured_order=None,
        featured_until=None,
    )
