"""Statistics in the admin: the permission matrix (role × action × scope), the report's
figures, comparison, chart and exports, the dashboard panel, a page's own figures.

Roles: the superuser, the national coordination, IREV's editors, an anonymous visitor.
Scopes: IREV (the editor's own centre), ORIV (another centre), the national site and
the network (the sum of every site). Each scope holds a different number of page views
today (3, 5, 7; the network 15), so each allowed cell shows exactly its scope's count."""

import csv
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

import pytest
from docx import Document
from openpyxl import load_workbook

from stats.models import Event, ImportedYear
from stats.wagtail_hooks import page_statistics_button

pytestmark = pytest.mark.django_db

ADMIN, COORDINATION, EDITOR, ANONYMOUS = "admin", "coordination", "editeur-irev", "anonyme"
ROLES = (ADMIN, COORDINATION, EDITOR, ANONYMOUS)
SCOPES = ("irev", "oriv", "national", "reseau")
VIEWS = {"irev": 3, "oriv": 5, "national": 7, "reseau": 15}
ACTIONS = (
    "report",  # the Statistics report of that scope, today
    "export_csv",  # its CSV export
    "export_xlsx",  # its spreadsheet export
    "yearly",  # the printable yearly report
    "yearly_docx",  # the yearly report as a Word document
    "yearly_xlsx",  # its tables as a workbook
    "import",  # importing an earlier year for that site (no such thing for the network)
    "page_figures",  # the scope's home page's own figures (no such page for the network)
    "page_button",  # the "Statistiques" button of that page in the listing and editor
)
Y, N, NA = True, False, None
# fmt: off
TABLE = {
    ADMIN:        {a: (Y, Y, Y, Y) for a in ACTIONS},
    COORDINATION: {a: (Y, Y, Y, Y) for a in ACTIONS},
    EDITOR:       {a: (Y, N, N, N) for a in ACTIONS},
    ANONYMOUS:    {a: (N, N, N, N) for a in ACTIONS},
}
# fmt: on
for rows in TABLE.values():
    rows["page_figures"] = rows["page_figures"][:3] + (NA,)
    rows["page_button"] = rows["page_button"][:3] + (NA,)
    rows["import"] = rows["import"][:3] + (NA,)
CELLS = [
    (role, action, scope, allowed)
    for role, rows in TABLE.items()
    for action, cells in rows.items()
    for scope, allowed in zip(SCOPES, cells, strict=True)
    if allowed is not NA
]


def site_of(network, scope):
    return (
        network.national_site
        if scope == "national"
        else network.centres[scope].home_page.get_site()
    )


def home_of(network, scope):
    return network.national_home if scope == "national" else network.centres[scope].home_page


@pytest.fixture
def traffic(network):
    now = timezone.now()
    events = []
    for scope in ("irev", "oriv", "national"):
        site, home = site_of(network, scope), home_of(network, scope)
        events += [
            Event(
                site=site,
                page=home,
                path="/",
                occurred_at=now - timedelta(minutes=n),
                day=timezone.localdate(),
                visitor=f"{scope}{n}",
            )
            for n in range(VIEWS[scope])
        ]
    Event.objects.bulk_create(events)
    return network


def client_of(network, role):
    return Client(HTTP_HOST="localhost") if role == ANONYMOUS else network.client_for(role)


def scope_param(network, scope):
    return "reseau" if scope == "reseau" else str(site_of(network, scope).pk)


def test_every_cell_is_listed():
    assert {(r, a, s) for r, a, s, _ in CELLS} | {
        (r, a, "reseau") for r in ROLES for a in ("page_figures", "page_button", "import")
    } == {(r, a, s) for r in ROLES for a in ACTIONS for s in SCOPES}


@pytest.mark.parametrize("role, action, scope, allowed", CELLS)
def test_permission_matrix(traffic, role, action, scope, allowed):
    network = traffic
    client = client_of(network, role)
    site = scope_param(network, scope)
    if action == "page_button":
        user = None if role == ANONYMOUS else network.user(role)
        from django.contrib.auth.models import AnonymousUser

        buttons = list(page_statistics_button(home_of(network, scope), user or AnonymousUser()))
        assert bool(buttons) is allowed
        return
    if action == "page_figures":
        response = client.get(f"/admin/statistiques/page/{home_of(network, scope).pk}/")
        shown = response.status_code == 200 and response.context["month_views"] == VIEWS[scope]
    elif action == "report":
        response = client.get("/admin/statistiques/", {"site": site})
        shown = (
            response.status_code == 200 and response.context["totals"].page_views == VIEWS[scope]
        )
    elif action == "export_csv":
        response = client.get("/admin/statistiques/", {"site": site, "format": "csv"})
        shown = (
            response.status_code == 200
            and response["Content-Type"].startswith("text/csv")
            and ["Pages vues", str(VIEWS[scope])]
            in list(csv.reader(io.StringIO(response.content.decode())))
        )
    elif action == "export_xlsx":
        response = client.get("/admin/statistiques/", {"site": site, "format": "xlsx"})
        shown = response.status_code == 200 and response["Content-Type"].startswith(
            "application/vnd"
        )
        if shown:
            sheet = load_workbook(io.BytesIO(response.content))["Synthèse"]
            shown = ["Pages vues", VIEWS[scope]] in [
                list(row) for row in sheet.iter_rows(values_only=True)
            ]
    elif action == "yearly_docx":
        response = client.get("/admin/statistiques/annuel/", {"site": site, "format": "docx"})
        shown = response.status_code == 200 and response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
        if shown:
            rows = [
                [c.text for c in row.cells]
                for row in Document(io.BytesIO(response.content)).tables[0].rows
            ]
            shown = ["Pages vues", str(VIEWS[scope])] == rows[3][:2]
    elif action == "yearly_xlsx":
        response = client.get("/admin/statistiques/annuel/", {"site": site, "format": "xlsx"})
        shown = response.status_code == 200 and response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"
        )
        if shown:
            sheet = load_workbook(io.BytesIO(response.content))["Synthèse"]
            shown = ["Audience", "Pages vues", VIEWS[scope]] in [
                list(row[:3]) for row in sheet.iter_rows(values_only=True)
            ]
    elif action == "import":
        host = site_of(network, scope).hostname
        upload = SimpleUploadedFile(
            "passe.csv",
            f"site;year;path;visitors;sessions;page_views\n{host};2019;;1;2;{VIEWS[scope]}\n".encode(),
        )
        response = client.post("/admin/statistiques/import/", {"file": upload})
        shown = (
            response.status_code == 200
            and ImportedYear.objects.get(site__hostname=host, year=2019).page_views == VIEWS[scope]
        )
        if not shown:
            assert not ImportedYear.objects.filter(year=2019).exists()
    else:  # yearly
        response = client.get("/admin/statistiques/annuel/", {"site": site})
        shown = (
            response.status_code == 200 and response.context["data"]["page_views"] == VIEWS[scope]
        )
    assert shown is allowed
    if not allowed:
        assert response.status_code in (302, 400, 403)
        if role == ANONYMOUS:
            assert "/admin/login/" in response["Location"]


def test_an_editor_is_offered_only_their_own_site(traffic):
    response = traffic.client_for(EDITOR).get("/admin/statistiques/")
    assert [value for value, _label in response.context["form"].fields["site"].choices] == [
        str(site_of(traffic, "irev").pk)
    ]
    assert response.context["totals"].page_views == 3


def test_the_coordinator_starts_on_the_network(traffic):
    response = traffic.client_for(COORDINATION).get("/admin/statistiques/")
    assert response.context["totals"].page_views == 15
    assert response.context["many_sites"]


def test_the_report_compares_with_the_previous_period_and_draws_an_accessible_chart(traffic):
    today = timezone.localdate()
    irev = site_of(traffic, "irev")
    Event.objects.create(
        site=irev,
        path="/",
        occurred_at=timezone.now() - timedelta(days=7),
        day=today - timedelta(days=7),
        visitor="before",
    )
    response = traffic.client_for(EDITOR).get(
        "/admin/statistiques/",
        {
            "site": irev.pk,
            "start": (today - timedelta(days=6)).isoformat(),
            "end": today.isoformat(),
        },
    )
    assert (response.context["previous_start"], response.context["previous_end"]) == (
        today - timedelta(days=13),
        today - timedelta(days=7),
    )
    label, now, before, delta = response.context["comparison"][0]
    assert (now, before, delta) == (3, 1, 200.0)
    html = response.content.decode()
    assert '<svg class="stats-chart"' in html and 'role="img"' in html and "<title id=" in html
    assert "<script" not in html.split('<svg class="stats-chart"')[1].split("</svg>")[0]
    # The chart's figures are also in a data table.
    assert (
        len(response.context["series"]) == 7 and response.context["series"][-1][1].page_views == 3
    )


def test_a_long_period_is_shown_per_month(traffic):
    today = timezone.localdate()
    response = traffic.client_for(ADMIN).get(
        "/admin/statistiques/",
        {
            "site": "reseau",
            "start": today.replace(month=1, day=1).isoformat(),
            "end": today.isoformat(),
        },
    )
    assert len(response.context["series"]) == today.month


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-13-01"}, "start"),
        ({"start": "2026-05-10", "end": "2026-05-01"}, "end"),
        ({"start": "2010-01-01", "end": "2026-01-01"}, "end"),
        ({"site": "99999"}, "site"),
    ],
)
def test_a_bad_period_shows_what_is_wrong(traffic, params, field):
    response = traffic.client_for(ADMIN).get("/admin/statistiques/", params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]


def test_the_dashboard_panel_shows_the_users_scope(traffic):
    editor = traffic.client_for(EDITOR).get("/admin/")
    assert "Audience, 7 derniers jours" in editor.content.decode()
    panel = next(p for p in editor.context["panels"] if p.name == "stats")
    assert panel.get_context_data()["week"].page_views == 3
    coordination = traffic.client_for(COORDINATION).get("/admin/")
    panel = next(p for p in coordination.context["panels"] if p.name == "stats")
    assert panel.get_context_data()["week"].page_views == 15


def test_the_page_listing_and_editor_link_to_the_pages_figures(traffic):
    client = traffic.client_for(EDITOR)
    home = home_of(traffic, "irev")
    link = f"/admin/statistiques/page/{home.pk}/"
    assert link in client.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert (
        link in client.get(f"/admin/pages/{home.get_parent().pk}/").content.decode()
        or link in client.get(f"/admin/pages/{home.pk}/").content.decode()
    )


@pytest.mark.parametrize("year", ["0", "abc", "123456"])
def test_the_yearly_report_falls_back_to_this_year_on_a_bad_year(traffic, year):
    response = traffic.client_for(COORDINATION).get("/admin/statistiques/annuel/", {"year": year})
    assert response.status_code == 200
    assert response.context["data"]["year"] == timezone.localdate().year
    assert response.context["data"]["page_views"] == 15
