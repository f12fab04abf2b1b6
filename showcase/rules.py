"""Who may do what with proposals. Only the national coordination moderates; a centre's
editors propose their own centre's published items and see their own proposals only."""

from agenda.models import EventPage
from centres.models import Centre
from centres.ownership import centre_for_page, centres_of_user
from centres.permissions import is_coordinator
from publications.models import NewsPage, PublicationPage

from .models import Proposal, Section, Status

SECTION_OF_MODEL = {
    EventPage: Section.AGENDA,
    PublicationPage: Section.RESOURCES,
    NewsPage: Section.NEWS,
}
PROPOSABLE_MODELS = tuple(SECTION_OF_MODEL)


def section_of(page) -> str | None:
    return next(
        (section for model, section in SECTION_OF_MODEL.items() if isinstance(page, model)), None
    )


def _centres_of(user):
    """The user's centres, once per request (admin listings ask for every row)."""
    if not hasattr(user, "_showcase_centres"):
        user._showcase_centres = centres_of_user(user)
    return user._showcase_centres


def can_moderate(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and is_coordinator(user))


def proposable_reason(page) -> str | None:
    """Why `page` cannot go to the front page, or None when it can."""
    from django.utils.translation import gettext as _

    if section_of(page) is None:
        return _("Seuls un événement, une publication ou une actualité peuvent être proposés.")
    if not page.live:
        return _("Publiez d’abord la page : seul un contenu en ligne peut être proposé.")
    if Proposal.objects.active().filter(page=page).exists():
        return _("Ce contenu est déjà proposé au portail national.")
    return None


def can_propose(user, page, centre: Centre | None = None) -> bool:
    """A centre's editors propose their centre's items (superusers any centre's)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    centre = centre if centre is not None else centre_for_page(page)
    if centre is None:
        return False  # the national site's own items: the coordinator selects them
    return user.is_superuser or centre in _centres_of(user)


def can_withdraw(user, proposal: Proposal) -> bool:
    """The coordination withdraws any active proposal; a centre takes back its own
    proposal while it waits (once accepted, the front page is the coordinator's)."""
    if proposal.status not in (Status.PENDING, Status.APPROVED):
        return False
    if can_moderate(user):
        return True
    return (
        proposal.status == Status.PENDING
        and proposal.centre is not None
        and proposal.centre in _centres_of(user)
    )


def visible_proposals(user):
    """The proposals whose status `user` may see."""
    if can_moderate(user):
        return Proposal.objects.all()
    return Proposal.objects.filter(centre__in=_centres_of(user))
