"""Registrations' cells of the permission matrix (tests/test_permissions.py): every role ×
action × scope on openings, registrants (personal data), check-in, exports, messages and
figures, through the real admin views, asserting the answer and its effect.

Whoever may edit the event's page manages its registrations: a centre's editors their
centre's events, a working group's members the group's events, the coordination the
national portal's (the groups' spaces included); the coordination reads every centre's
figures (counts, no name) but sees no centre's registrants."""

from html import escape

from django.contrib.auth import get_user_model
from django.test import Client, TestCase
from django.urls import reverse

import pytest

from agenda.models import AgendaPage, EventPage
from portal.tasks import pending
from registrations.models import Opening, Seat

from .factories import EventPageFactory, OpeningFactory, RegistrantFactory, SeatFactory
from .test_publications_helpers import group

pytestmark = pytest.mark.django_db

ADMIN, COORDINATION, EDITOR, MEMBER, ANONYMOUS = (
    "admin",
    "coordination",
    "editeur-irev",
    "gt-sante",
    "anonyme",
)
ROLES = (ADMIN, COORDINATION, EDITOR, MEMBER, ANONYMOUS)
SCOPES = ("irev", "oriv", "national", "group")
ACTIONS = (
    "list",  # the scope's opening in Inscriptions
    "registrants",  # its registrants' page, with their address
    "checkin",  # POST a seat marked present
    "export",  # the CSV, with the registrant's address
    "message",  # POST a message to every registrant (a mail queued)
    "edit",  # POST the opening's settings with another capacity
    "open",  # open registrations on another event of the scope
    "figures",  # the scope's event in Inscriptions : chiffres
)
Y, N = True, False
# Columns follow SCOPES: irev, oriv, national, group (Santé).
# fmt: off
TABLE = {
    ADMIN: {action: (Y, Y, Y, Y) for action in ACTIONS},
    COORDINATION: {
        "list":        (N, N, Y, Y),
        "registrants": (N, N, Y, Y),
        "checkin":     (N, N, Y, Y),
        "export":      (N, N, Y, Y),
        "message":     (N, N, Y, Y),
        "edit":        (N, N, Y, Y),
        "open":        (N, N, Y, Y),
        "figures":     (Y, Y, Y, Y),
    },
    EDITOR: {
        "list":        (Y, N, N, N),
        "registrants": (Y, N, N, N),
        "checkin":     (Y, N, N, N),
        "export":      (Y, N, N, N),
        "message":     (Y, N, N, N),
        "edit":        (Y, N, N, N),
        "open":        (Y, N, N, N),
        "figures":     (Y, N, N, N),
    },
    MEMBER: {
        "list":        (Y, N, N, Y),
        "registrants": (Y, N, N, Y),
        "checkin":     (Y, N, N, Y),
        "export":      (Y, N, N, Y),
        "message":     (Y, N, N, Y),
        "edit":        (Y, N, N, Y),
        "open":        (Y, N, N, Y),
        "figures":     (Y, N, N, Y),
    },
    ANONYMOUS: {action: (N, N, N, N) for action in ACTIONS},
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


class Cell:
    def __init__(self, network, role, scope):
        if scope == "group":
            parent = group("sante")
        else:
            home = (
                network.national_home if scope == "national" else network.centres[scope].home_page
            )
            parent = AgendaPage.objects.child_of(home).get()
        self.event = EventPageFactory(parent=parent)
        self.other = EventPageFactory(parent=parent)
        self.opening = OpeningFactory(page=self.event, capacity=10)
        self.person = RegistrantFactory(opening=self.opening, email=f"inscrit-{scope}@exemple.fr")
        self.seat = SeatFactory(registrant=self.person, event=self.event)
        self.client = Client()
        if role != ANONYMOUS:
            self.client.force_login(get_user_model().objects.get(username=role))


def refused(response):
    """Refusals: Wagtail's redirects (dashboard or login), or a 403/404."""
    return response.status_code in (302, 403, 404)


def check_list(cell, allowed):
    response = cell.client.get(reverse("registrations_index"))
    shown = response.status_code == 200 and escape(cell.event.title) in response.content.decode()
    assert shown == allowed


def check_registrants(cell, allowed):
    response = cell.client.get(reverse("registrations_registrants", args=[cell.opening.pk]))
    if allowed:
        assert response.status_code == 200 and cell.person.email in response.content.decode()
    else:
        assert refused(response) and cell.person.email not in response.content.decode()


def check_checkin(cell, allowed):
    response = cell.client.post(
        reverse("registrations_registrants", args=[cell.opening.pk]),
        {f"attended-{cell.seat.pk}": "present"},
    )
    cell.seat.refresh_from_db()
    assert (cell.seat.attended is True) == allowed, response.status_code
    if allowed:
        # The public page's count, read from check-in (not written on the page).
        assert EventPage.objects.get(pk=cell.event.pk).public_participants_count == 1
    else:
        assert refused(response)


def check_export(cell, allowed):
    response = cell.client.get(reverse("registrations_export", args=[cell.opening.pk, "csv"]))
    if allowed:
        assert response.status_code == 200 and cell.person.email in response.content.decode()
    else:
        assert refused(response)


def check_message(cell, allowed):
    before = pending().count()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = cell.client.post(
            reverse("registrations_message", args=[cell.opening.pk]),
            {"subject": "Salle changée", "body": "Rendez-vous salle B.", "waiting": "on"},
        )
    assert (pending().count() == before + 1) == allowed, response.status_code
    if not allowed:
        assert refused(response)


def check_edit(cell, allowed):
    response = cell.client.post(
        reverse("registrations_edit", args=[cell.opening.pk]),
        {"is_open": "on", "capacity": "25", "mode": Opening.ALL, "waiting_list": "on"},
    )
    cell.opening.refresh_from_db()
    assert (cell.opening.capacity == 25) == allowed, response.status_code


def check_open(cell, allowed):
    response = cell.client.post(
        reverse("registrations_open"),
        {"page": cell.other.pk, "is_open": "on", "capacity": "12", "mode": Opening.ALL},
    )
    opened = Opening.objects.filter(page_id=cell.other.pk).exists()
    assert opened == allowed, response.status_code


def check_figures(cell, allowed):
    url = reverse("registrations_figures") + f"?annee={cell.event.start_date.year}"
    response = cell.client.get(url)
    shown = response.status_code == 200 and escape(cell.event.title) in response.content.decode()
    assert shown == allowed
    if shown:  # counts, never a name
        assert cell.person.email not in response.content.decode()


CHECKS = {action: globals()[f"check_{action}"] for action in ACTIONS}


@pytest.mark.parametrize(
    ("role", "action", "scope"),
    list(EXPECTED),
    ids=[f"{role}-{action}-{scope}" for role, action, scope in EXPECTED],
)
def test_matrix(network, role, action, scope):
    CHECKS[action](Cell(network, role, scope), EXPECTED[(role, action, scope)])


def test_check_in_counts_and_exports_in_xlsx(network):
    from io import BytesIO

    from openpyxl import load_workbook

    cell = Cell(network, EDITOR, "irev")
    absent = SeatFactory(registrant=RegistrantFactory(opening=cell.opening), event=cell.event)
    cell.client.post(
        reverse("registrations_registrants", args=[cell.opening.pk]),
        {f"attended-{cell.seat.pk}": "present", f"attended-{absent.pk}": "absent"},
    )
    assert dict(Seat.objects.filter(event=cell.event).values_list("pk", "attended")) == {
        cell.seat.pk: True,
        absent.pk: False,
    }
    response = cell.client.get(reverse("registrations_export", args=[cell.opening.pk, "xlsx"]))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Séance" and len(rows) == 3
    assert {row[3]: row[-1] for row in rows[1:]} == {
        cell.person.email: "présent",
        absent.registrant.email: "absent",
    }
    # The admin's event listing shows the counts, linking to the registrants.
    listing = cell.client.get(reverse("events:index")).content.decode()
    assert "Inscrits\u00a0: 2 / 10" in listing
    assert reverse("registrations_registrants", args=[cell.opening.pk]) in listing
    found = cell.client.get(
        reverse("registrations_registrants", args=[cell.opening.pk]) + "?q=inscrit-irev"
    ).content.decode()
    assert cell.person.email in found and absent.registrant.email not in found
