"""The showcase's cells of the permission matrix: role × action × scope, answered by the
real admin views. Scopes: IREV (editeur-irev's own centre) and ORIV (another centre).

Each cell creates what it acts on (a proposal of the scope's published event) inside the
test's rolled-back transaction, calls the view as that role and asserts the effect in
the database (or what the page shows): done when allowed, nothing done when refused.
Refusals are Wagtail's: a signed-in user is sent back to the dashboard, an anonymous
visitor to the login page; a proposal of another centre is not even found (404)."""

from datetime import timedelta
from html import escape

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from agenda.models import EventPage
from showcase import decisions
from showcase.models import Proposal, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_showcase")]

ADMIN, COORDINATION, EDITOR, ANONYMOUS = "admin", "coordination", "editeur-irev", "anonyme"
ROLES = (ADMIN, COORDINATION, EDITOR, ANONYMOUS)
SCOPES = ("irev", "oriv")
ACTIONS = (
    "propose",  # POST the propose form for the scope's published event
    "select",  # POST the direct selection of the scope's published event
    "approve",  # POST approve on the scope's pending proposal
    "feature",  # POST feature (order, end date) on it
    "decline",  # POST decline (reason) on it
    "withdraw",  # POST withdraw on it
    "view_queue",  # GET the moderation queue: is the scope's proposal listed?
    "view_status",  # GET "Propositions du centre": is the scope's proposal listed?
)

Y, N = True, False
# fmt: off
TABLE = {
    ADMIN: {
        "propose": (Y, Y), "select": (Y, Y), "approve": (Y, Y), "feature": (Y, Y),
        "decline": (Y, Y), "withdraw": (Y, Y), "view_queue": (Y, Y), "view_status": (Y, Y),
    },
    COORDINATION: {
        # The coordination does not propose to itself: it selects directly.
        "propose": (N, N), "select": (Y, Y), "approve": (Y, Y), "feature": (Y, Y),
        "decline": (Y, Y), "withdraw": (Y, Y), "view_queue": (Y, Y), "view_status": (Y, Y),
    },
    EDITOR: {
        # A centre takes back its own waiting proposal; it never moderates.
        "propose": (Y, N), "select": (N, N), "approve": (N, N), "feature": (N, N),
        "decline": (N, N), "withdraw": (Y, N), "view_queue": (N, N), "view_status": (Y, N),
    },
    ANONYMOUS: {
        "propose": (N, N), "select": (N, N), "approve": (N, N), "feature": (N, N),
        "decline": (N, N), "withdraw": (N, N), "view_queue": (N, N), "view_status": (N, N),
    },
}
# fmt: on
EXPECTED = {
    (role, action, scope): allowed
    for role, rows in TABLE.items()
    for action, cells in rows.items()
    for scope, allowed in zip(SCOPES, cells, strict=True)
}


def test_the_table_has_exactly_one_answer_per_cell():
    assert set(EXPECTED) == {(r, a, s) for r in ROLES for a in ACTIONS for s in SCOPES}


def client_for(network, role):
    if role == ANONYMOUS:
        return Client(HTTP_HOST="localhost")
    return network.client_for(role)


def event_of(network, scope):
    return (
        EventPage.objects.live()
        .descendant_of(network.centres[scope].home_page)
        .filter(ends_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )


def assert_refused(response, role):
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/login/" in response.url
    else:
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")


DECISION_DATA = {
    "approve": {},
    "feature": {"order": "1", "until": (timezone.localdate() + timedelta(days=3)).isoformat()},
    "decline": {"reason": "Hors du champ du portail"},
    "withdraw": {"reason": ""},
}
DONE = {
    "approve": Status.APPROVED,
    "feature": Status.APPROVED,
    "decline": Status.DECLINED,
    "withdraw": Status.WITHDRAWN,
}


@pytest.mark.parametrize("role, action, scope", sorted(EXPECTED))
def test_cell(network, role, action, scope):
    allowed = EXPECTED[role, action, scope]
    client = client_for(network, role)
    event = event_of(network, scope)

    if action in ("propose", "select"):
        url = (
            reverse("showcase_propose", args=[event.pk])
            if action == "propose"
            else reverse("showcase_select")
        )
        response = client.post(url, {"note": "", "page": event.pk})
        created = Proposal.objects.filter(page=event).first()
        if allowed:
            assert response.status_code == 302 and created is not None
            assert created.status == (Status.PENDING if action == "propose" else Status.APPROVED)
        else:
            assert_refused(response, role)
            assert created is None
        return

    proposal = decisions.propose(event, network.user(f"editeur-{scope}"))
    if action in DONE:
        response = client.post(
            reverse("showcase_decide", args=[proposal.pk, action]), DECISION_DATA[action]
        )
        proposal.refresh_from_db()
        if allowed:
            assert response.status_code == 302 and proposal.status == DONE[action]
            assert proposal.is_featured == (action == "feature")
        else:
            assert_refused(response, role)
            assert proposal.status == Status.PENDING
        return

    url = reverse("showcase_queue" if action == "view_queue" else "showcase_mine")
    response = client.get(url)
    if allowed:
        assert response.status_code == 200 and escape(event.title) in response.content.decode()
    elif response.status_code == 200:  # the centre's own list, without the other's proposal
        assert escape(event.title) not in response.content.decode()
    else:
        assert_refused(response, role)
