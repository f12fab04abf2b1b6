"""The yearly activity report (stats.activity): a year of known traffic, events,
publications, letters and showcased items on two sites (IREV and ORIV), and the year
before; every figure of both sites' reports and of the network's sum, through
`stats_report`, the admin page and the DOCX and XLSX downloads (read back with
python-docx and openpyxl); the yearly distinct visitors from the beacon's flag; the
import of earlier years (all or nothing); French formats."""

import io
import json
from datetime import date, datetime
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from wagtail import hooks
from wagtail.documents import get_document_model

import docx
import pytest
from openpyxl import load_workbook

from agenda.models import AgendaPage, Attendance, EventFormat
from newsletter.models import Delivery, Letter, LinkClick, MailingList, Subscriber, Subscription
from publications.models import LibraryPage, ResourceKind, WorkingGroupPage, WorkingGroupYear
from showcase.models import Proposal, Status
from stats import frenchformat
from stats.imports import network_csv, read
from stats.models import Event, ImportedPage, ImportedYear
from stats.privacy import PARIS
from stats.rollup import roll_up
from stats.yearly import yearly_report
from tests.factories import EventPageFactory, PublicationPageFactory

pytestmark = pytest.mark.django_db

YEAR, BEFORE = 2011, 2010  # years the seeded network has no content in
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def view(site, path, day, hour, minute, visitor, *, referrer="", year_first=False):
    return Event(
        site=site,
        kind=Event.VIEW,
        occurred_at=at(day, hour, minute),
        day=day,
        visitor=visitor,
        path=path,
        referrer_host=referrer,
        first_of_year=year_first,
    )


@pytest.fixture
def year_of_activity(network):
    irev = network.centres["irev"].home_page.get_site()
    oriv = network.centres["oriv"].home_page.get_site()
    document = get_document_model().objects.create(title="Guide d’essai", file="documents/g.pdf")
    march, march_next, july = date(YEAR, 3, 10), date(YEAR, 3, 11), date(YEAR, 7, 1)
    may = date(YEAR, 5, 5)
    events = [
        # IREV: A (2 views, 5 min, LinkedIn), B (a bounce, Google), A again the next day
        # (a view and a download, 2 min), C in July (two views an hour apart: 2 sessions).
        view(irev, "/", march, 10, 0, "a", referrer="www.linkedin.com", year_first=True),
        view(irev, "/agenda/", march, 10, 5, "a"),
        view(irev, "/", march, 11, 0, "b", referrer="www.google.com", year_first=True),
        view(irev, "/", march_next, 9, 0, "a2"),
        Event(
            site=irev,
            kind=Event.DOWNLOAD,
            occurred_at=at(march_next, 9, 2),
            day=march_next,
            visitor="a2",
            document=document,
            path=f"/documents/{document.pk}/g.pdf",
        ),
        view(irev, "/agenda/", july, 14, 0, "c", referrer="lnkd.in", year_first=True),
        view(irev, "/agenda/", july, 15, 0, "c"),
        # ORIV: D (3 views over 20 min), E (a bounce from Facebook).
        view(oriv, "/", may, 8, 0, "d", year_first=True),
        view(oriv, "/agenda/", may, 8, 10, "d"),
        view(oriv, "/", may, 8, 20, "d"),
        view(oriv, "/", may, 8, 0, "e", referrer="m.facebook.com", year_first=True),
        # The year before: one view on IREV.
        view(irev, "/", date(BEFORE, 6, 1), 12, 0, "f", year_first=True),
    ]
    Event.objects.bulk_create(events)
    roll_up(until=date(YEAR, 12, 31))

    webinar = EventFormat.objects.get_or_create(name="Webinaire", defaults={"slug": "webinaire"})[0]
    study_day = EventFormat.objects.get_or_create(
        name="Journée d’étude", defaults={"slug": "journee-d-etude-essai"}
    )[0]
    irev_agenda = AgendaPage.objects.descendant_of(irev.root_page).get()
    oriv_agenda = AgendaPage.objects.descendant_of(oriv.root_page).get()
    co_organised = EventPageFactory(
        parent=irev_agenda,
        start_date=date(YEAR, 4, 1),
        attendance=Attendance.ONLINE,
        event_format=webinar,
        participants_count=30,
    )
    co_organised.organisers.add(network.centres["oriv"])
    co_organised.save_revision().publish()
    EventPageFactory(
        parent=irev_agenda,
        start_date=date(YEAR, 9, 1),
        event_format=study_day,
        participants_count=50,
    )
    EventPageFactory(
        parent=oriv_agenda,
        start_date=date(YEAR, 10, 1),
        attendance=Attendance.HYBRID,
        event_format=webinar,
        participants_count=10,
    )
    EventPageFactory(parent=irev_agenda, start_date=date(BEFORE, 5, 1), event_format=webinar)
    EventPageFactory(parent=oriv_agenda, start_date=date(YEAR, 11, 1), live=False)  # a draft

    synthesis, bibliography = (
        ResourceKind.objects.get_or_create(name=name, defaults={"slug": slug})[0]
        for name, slug in (("Synthèse", "synthese-essai"), ("Bibliographie", "biblio-essai"))
    )
    irev_library = LibraryPage.objects.descendant_of(irev.root_page).get()
    oriv_library = LibraryPage.objects.descendant_of(oriv.root_page).get()
    first = PublicationPageFactory(
        parent=irev_library, kind=synthesis, publication_date=date(YEAR, 2, 1)
    )
    first.tags.add("thème essai A", "thème essai B")
    first.save_revision().publish()
    second = PublicationPageFactory(
        parent=irev_library, kind=synthesis, publication_date=date(YEAR, 6, 1)
    )
    second.tags.add("thème essai A")
    second.save_revision().publish()
    third = PublicationPageFactory(
        parent=oriv_library, kind=bibliography, publication_date=date(YEAR, 8, 1)
    )
    third.tags.add("thème essai B")
    third.save_revision().publish()
    PublicationPageFactory(parent=oriv_library, kind=synthesis, publication_date=date(BEFORE, 3, 1))

    # IREV's letters: two sent in the year (4 delivered, 2 of them measured and 1 opened,
    # 1 bounced; 4 clicks), 3 subscribers confirmed in January, one gone in June.
    monthly = MailingList.monthly_for(irev)
    readers = []
    for number in range(3):
        reader = Subscriber.objects.create(site=irev, email=f"annuel{number}@exemple.fr")
        Subscription.objects.create(
            subscriber=reader,
            mailing_list=monthly,
            status=Subscription.CONFIRMED,
            confirmed_at=at(date(YEAR, 1, 5), 9),
            unsubscribed_at=at(date(YEAR, 6, 1), 9) if number == 2 else None,
            consent_text="test",
        )
        readers.append(reader)
    for sent_on, outcomes in (
        (
            date(YEAR, 2, 1),
            [
                (Delivery.SENT, True, True),
                (Delivery.SENT, True, False),
                (Delivery.BOUNCED, False, False),
            ],
        ),
        (date(YEAR, 3, 1), [(Delivery.SENT, False, False), (Delivery.SENT, False, False)]),
    ):
        letter = Letter.objects.create(
            mailing_list=monthly,
            subject=f"Lettre {sent_on}",
            status=Letter.SENT,
            sent_at=at(sent_on, 10),
        )
        for reader, (status, measured, opened) in zip(readers, outcomes):
            Delivery.objects.create(
                letter=letter,
                subscriber=reader,
                status=status,
                measured=measured,
                opened_at=at(sent_on, 12) if opened else None,
            )
        if len(outcomes) == 3:
            LinkClick.objects.create(letter=letter, url="https://irev.example/a", clicks=4)
    # A working group of the national site: its yearly activity, a publication and an
    # event filed under it (both counted for the national site too).
    group = WorkingGroupPage.objects.live().order_by("path").first()
    WorkingGroupYear.objects.create(page=group, year=YEAR, meetings=4, centres_involved=6)
    PublicationPageFactory(parent=group, publication_date=date(YEAR, 5, 1))
    EventPageFactory(parent=group, start_date=date(YEAR, 6, 1))
    # Showcased: IREV's co-organised event, approved in the year.
    Proposal.objects.create(
        page=co_organised,
        centre=network.centres["irev"],
        section="agenda",
        title=co_organised.title,
        status=Status.APPROVED,
        approved_at=at(date(YEAR, 4, 2), 9),
    )
    return network, irev, oriv


def figures_of(data):
    return {
        section["key"]: {f["key"]: (f["value"], f["previous"]) for f in section["figures"]}
        for section in data["sections"]
    }


def table(data, section_key, table_key):
    section = next(s for s in data["sections"] if s["key"] == section_key)
    return next(t for t in section["tables"] if t["key"] == table_key)


IREV = {
    "audience": {
        "visitors": (3, 1),
        "sessions": (5, 1),
        "page_views": (6, 1),
        "daily_visitors": (4, 1),
        "bounce_rate": (0.6, 1.0),
        "average_duration_seconds": (84.0, 0.0),  # (300 + 120) s over 5 sessions
        "downloads": (1, 0),
        "unique_downloads": (1, 0),
    },
    "events": {
        "held": (2, 1),
        "in_person": (1, 1),
        "online": (1, 0),
        "hybrid": (0, 0),
        "coorganised": (1, 0),
        "participants": (80, 0),
        "replay_plays": (0, 0),  # tests/test_stats_replays.py plays replays
    },
    "publications": {"published": (2, 0)},
    "showcase": {"agenda": (1, 0), "resources": (0, 0), "news": (0, 0)},
    "newsletter": {
        "letters": (2, 0),
        "sent": (4, 0),
        "bounced": (1, 0),
        "failed": (0, 0),
        "subscribers": (2, 0),
        "measured": (2, 0),
        "opened": (1, 0),
        "clicks": (4, 0),
        "open_rate": (0.5, None),
    },
}
ORIV = {
    "audience": {
        "visitors": (2, 0),
        "sessions": (2, 0),
        "page_views": (4, 0),
        "daily_visitors": (2, 0),
        "bounce_rate": (0.5, 0.0),
        "average_duration_seconds": (600.0, 0.0),
        "downloads": (0, 0),
        "unique_downloads": (0, 0),
    },
    "events": {
        "held": (1, 0),
        "in_person": (0, 0),
        "online": (0, 0),
        "hybrid": (1, 0),
        "coorganised": (0, 0),
        "participants": (10, 0),
        "replay_plays": (0, 0),  # tests/test_stats_replays.py plays replays
    },
    "publications": {"published": (1, 1)},
    "showcase": {"agenda": (0, 0), "resources": (0, 0), "news": (0, 0)},
    "newsletter": {
        "letters": (0, 0),
        "sent": (0, 0),
        "bounced": (0, 0),
        "failed": (0, 0),
        "subscribers": (0, 0),
        "measured": (0, 0),
        "opened": (0, 0),
        "clicks": (0, 0),
        "open_rate": (None, None),
    },
}


# The national site: only the working group's publication and event.
NATIONAL = {
    "events": {"held": (1, 0), "in_person": (1, 0)},
    "publications": {"published": (1, 0)},
}


def network_sum():
    """The sites' figures added (the other sites have nothing in these years)."""
    result = {}
    for key in IREV:
        result[key] = {}
        for name, (now, before) in IREV[key].items():
            other_now, other_before = ORIV[key][name]
            extra_now, extra_before = NATIONAL.get(key, {}).get(name, (0, 0))
            result[key][name] = (
                None if now is None or other_now is None else now + other_now + extra_now,
                None
                if before is None or other_before is None
                else before + other_before + extra_before,
            )
    result["working_groups"] = {
        "active": (1, 0),
        "meetings": (4, 0),
        "publications": (1, 0),
        "events": (1, 0),
    }
    audience = result["audience"]
    audience["bounce_rate"] = (round(4 / 7, 4), 1.0)
    audience["average_duration_seconds"] = (round(1620 / 7, 1), 0.0)
    result["newsletter"]["open_rate"] = (0.5, None)
    return result


def report_json(*args):
    out = StringIO()
    call_command("stats_report", "--year", str(YEAR), "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_every_figure_of_both_sites_and_of_the_network(year_of_activity):
    _network, irev, oriv = year_of_activity
    for args, expected in (
        (["--site", irev.hostname], IREV),
        (["--site", oriv.hostname], ORIV),
        ([], network_sum()),
    ):
        data = report_json(*args)
        assert data["compared_with"] == BEFORE
        figures = figures_of(data)
        for key, values in expected.items():
            assert figures[key] == values, (args, key)
        if args:  # the groups live on the national site
            assert "working_groups" not in figures
    irev_data = report_json("--site", irev.hostname)
    assert table(irev_data, "audience", "by_month")["rows"][2] == ["mars", 2, 3, 4, 1]
    assert table(irev_data, "audience", "by_month")["rows"][6] == ["juillet", 1, 2, 2, 0]
    assert table(irev_data, "audience", "social")["rows"] == [["LinkedIn", 2]]
    assert table(irev_data, "audience", "referrers")["rows"] == [
        ["lnkd.in", 1],
        ["www.google.com", 1],
        ["www.linkedin.com", 1],
    ]
    assert table(irev_data, "audience", "documents")["rows"] == [["Guide d’essai", 1, 1]]
    assert table(irev_data, "events", "by_format")["rows"] == [
        ["Journée d’étude", 1, 0, None],
        ["Webinaire", 1, 1, 0.0],
    ]
    assert table(irev_data, "publications", "by_kind")["rows"] == [["Synthèse", 2, 0, None]]
    assert table(irev_data, "publications", "by_theme")["rows"] == [
        ["thème essai A", 2, 0, None],
        ["thème essai B", 1, 0, None],
    ]
    network = report_json()
    # The per-page table keeps each site: "/" of IREV and "/" of ORIV are two lines.
    assert network["pages"][:4] == [
        {"site": irev.hostname, "path": "/", "page_views": 3, "visitors": 3},
        {"site": irev.hostname, "path": "/agenda/", "page_views": 3, "visitors": 2},
        {"site": oriv.hostname, "path": "/", "page_views": 3, "visitors": 2},
        {"site": oriv.hostname, "path": "/agenda/", "page_views": 1, "visitors": 1},
    ]
    assert table(network, "audience", "social")["rows"] == [["LinkedIn", 2], ["Facebook", 1]]
    per_centre = {row[0]: row[1:] for row in table(network, "audience", "per_centre")["rows"]}
    assert per_centre[irev.site_name or irev.hostname] == [3, 5, 6, 1, 1, 500.0]
    assert per_centre[oriv.site_name or oriv.hostname] == [2, 2, 4, 0, 0, None]
    events_per_centre = {row[0]: row[1:] for row in table(network, "events", "per_centre")["rows"]}
    assert events_per_centre[irev.site_name or irev.hostname] == [2, 1, 1, 0, 1, 80, 0]
    assert table(network, "events", "by_format")["rows"] == [
        ["Webinaire", 2, 1, 100.0],
        ["Journée d’étude", 1, 0, None],
        ["Sans format", 1, 0, None],
    ]
    assert table(network, "working_groups", "by_group")["rows"] == [
        [WorkingGroupPage.objects.live().order_by("path").first().title, 6, 4, 1, 1]
    ]
    assert "navigateur" in network["method"]


def test_the_admin_and_the_downloads_show_the_same_figures(year_of_activity):
    network, irev, _oriv = year_of_activity
    client = network.client_for("coordination")
    response = client.get("/admin/statistiques/annuel/", {"site": "reseau", "year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    sections = response.context["sections"]
    audience = sections[0]
    assert audience["figures"][2] == ["Pages vues", "10", "1", "+900,0\u00a0%"]
    assert audience["figures"][5][1] == "3\u00a0min 51\u00a0s"  # 231.4 s
    assert 'role="img"' in html and "<title id=" in html  # the charts, with their tables
    for section in sections:
        assert f'id="section-{section["key"]}"' in html

    document = docx.Document(
        io.BytesIO(
            client.get(
                "/admin/statistiques/annuel/", {"site": "reseau", "year": YEAR, "format": "docx"}
            ).content
        )
    )
    docx_tables = [
        [[cell.text for cell in row.cells] for row in t.rows[1:]] for t in document.tables
    ]
    shown = []
    for section in sections:
        shown.append(section["figures"])
        shown += [t["rows"] for t in section["tables"] if t["rows"]]
    assert docx_tables == shown

    response = client.get(
        "/admin/statistiques/annuel/", {"site": "reseau", "year": YEAR, "format": "xlsx"}
    )
    assert response["Content-Disposition"].endswith('rapport-activite-reseau-2011.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    summary = [list(row) for row in workbook["Synthèse"].iter_rows(min_row=3, values_only=True)]
    data = yearly_report([s.pk for s in network_sites()], YEAR, network=True)
    expected = []
    for section in data["sections"]:
        for figure in section["figures"]:
            value, previous = figure["value"], figure["previous"]
            if figure["unit"] == "duration":
                value, previous = frenchformat.duration(value), frenchformat.duration(previous)
            change = None if figure["change"] is None else figure["change"] / 100
            expected.append([section["title"], figure["label"], value, previous, change])
    assert summary[: len(expected)] == expected
    pages = workbook[[name for name in workbook.sheetnames if "Pages les plus" in name][0]]
    rows = [list(row) for row in pages.iter_rows(min_row=3, values_only=True)]
    assert rows[0] == [irev.site_name or irev.hostname, "/", 3, 3]


def network_sites():
    from wagtail.models import Site

    return Site.objects.all()


def test_a_centre_sees_its_own_report_only(year_of_activity):
    network, irev, oriv = year_of_activity
    client = network.client_for("editeur-irev")
    mine = client.get("/admin/statistiques/annuel/", {"site": irev.pk, "year": YEAR})
    assert mine.status_code == 200 and mine.context["data"]["page_views"] == 6
    assert mine.context["data"]["sites"] == [irev.hostname]
    for query in ({"site": oriv.pk}, {"site": "reseau"}, {"site": oriv.pk, "format": "docx"}):
        response = client.get("/admin/statistiques/annuel/", {"year": YEAR, **query})
        assert response.status_code in (302, 403)


def test_the_beacon_flag_counts_distinct_visitors_of_the_year(network):
    client = Client()
    home = network.national_home
    for first_of_year in (True, False, "yes"):
        response = client.post(
            "/stats/event",
            json.dumps(
                {"url": "http://localhost/", "page": home.pk, "first_of_year": first_of_year}
            ),
            content_type="text/plain",
            HTTP_HOST="localhost",
            HTTP_USER_AGENT=FIREFOX,
        )
        assert response.status_code == 204
    assert list(Event.objects.order_by("pk").values_list("first_of_year", flat=True)) == [
        True,
        False,
        False,
    ]
    from django.utils import timezone

    data = yearly_report([network.national_site.pk], timezone.localdate().year)
    assert (data["visitors"], data["daily_visitors"], data["page_views"]) == (1, 1, 3)


def test_the_beacon_script_keeps_a_year_and_no_identifier():
    from pathlib import Path

    script = (Path(__file__).parents[1] / "stats/static/stats/beacon.js").read_text()
    assert "first_of_year: firstOfYear" in script
    assert "String(new Date().getFullYear())" in script


def test_the_seeded_network_reads_back_the_2023_report_and_compares_with_it(network):
    data = json.loads(_call("--year", "2023"))
    assert (data["visitors"], data["sessions"], data["page_views"]) == (4283, 7907, 18334)
    assert data["previous_year"]["year"] == 2022
    assert {"site": "localhost", "path": "/", "page_views": 2401, "visitors": None} in data["pages"]
    from django.utils import timezone

    today = timezone.localdate()
    current = json.loads(_call("--year", str(today.year)))
    assert current["compared_with"] == 2023
    assert current["previous_year"]["page_views"] == 18334
    chosen = json.loads(_call("--year", str(today.year), "--compare", "2022"))
    assert chosen["previous_year"]["sessions"] == 3585


def _call(*args):
    out = StringIO()
    call_command("stats_report", "--format", "json", *args, stdout=out)
    return out.getvalue()


GOOD = """site;year;path;visitors;sessions;page_views;downloads;unique_downloads
irev.localhost;2019;;1 234;2\u202f000;5000;10;8
irev.localhost;2019;/;;;3000;;
irev.localhost;2019;/agenda/;40;;900;;
"""


def test_an_import_is_all_or_nothing_with_the_refused_lines(network, tmp_path):
    bad = GOOD + (
        "nowhere.example;2019;;1;1;1;;\n"
        "irev.localhost;2019;/;;;12;;\n"
        "irev.localhost;3019;;1;1;1;;\n"
        "irev.localhost;2018;agenda;;;abc;;\n"
        "oriv.localhost;2018;/x/;;;3;;\n"
    )
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="5 line"):
        call_command("stats_import", str(path), stderr=err)
    reasons = err.getvalue()
    for expected in (
        "line 5: Site inconnu",
        "line 6: Ligne en double",
        "line 7: Année",
        "line 8: Nombre illisible",
        "line 9: Pas de ligne annuelle",
    ):
        assert expected in reasons
    irev = network.centres["irev"].home_page.get_site()
    assert not ImportedYear.objects.filter(site=irev).exists()
    assert not ImportedPage.objects.filter(site=irev).exists()
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("stats_import", str(path), stdout=out)
    assert "1 site-year(s) and 2 page line(s)" in out.getvalue()
    data = json.loads(_call("--site", "irev.localhost", "--year", "2019"))
    assert (data["visitors"], data["sessions"], data["page_views"], data["downloads"]) == (
        1234,
        2000,
        5000,
        10,
    )
    assert data["pages"][:2] == [
        {"site": "irev.localhost", "path": "/", "page_views": 3000, "visitors": None},
        {"site": "irev.localhost", "path": "/agenda/", "page_views": 900, "visitors": 40},
    ]
    # Importing the same site and year again replaces it.
    assert read(GOOD.replace("5000", "5001")).ok
    assert ImportedYear.objects.get(site=irev, year=2019).page_views == 5001
    assert ImportedPage.objects.filter(site=irev, year=2019).count() == 2


def test_the_admin_import_is_limited_to_the_users_sites(network):
    from django.core.files.uploadedfile import SimpleUploadedFile

    oriv_line = "oriv.localhost;2019;;1;1;1;;\n"
    editor = network.client_for("editeur-irev")
    response = editor.post(
        "/admin/statistiques/import/",
        {"file": SimpleUploadedFile("a.csv", (GOOD + oriv_line).encode())},
    )
    assert response.status_code == 400
    assert response.context["outcome"].refused[0][2] == "Site d’un autre centre."
    centres = ImportedYear.objects.exclude(site=network.national_site)
    assert not centres.exists()
    response = editor.post(
        "/admin/statistiques/import/", {"file": SimpleUploadedFile("a.csv", GOOD.encode())}
    )
    assert response.status_code == 200 and response.context["outcome"].years == 1
    coordination = network.client_for("coordination")
    response = coordination.post(
        "/admin/statistiques/import/",
        {"file": SimpleUploadedFile("a.csv", (GOOD + oriv_line).encode())},
    )
    assert response.status_code == 200 and centres.count() == 2
    assert Client(HTTP_HOST="localhost").get("/admin/statistiques/import/").status_code == 302


def test_the_network_traffic_csv_holds_the_published_figures():
    text = network_csv(
        "localhost",
        {
            "by_year": {"2023": {"visitors": 4283, "sessions": 7907, "page_views": 18334}},
            "page_views_by_page_2023": {"/": 2401},
        },
    )
    assert text.splitlines()[1:] == [
        "localhost;2023;;4283;7907;18334;;",
        "localhost;2023;/;;;2401;;",
    ]


@pytest.mark.parametrize(
    "value, unit, text",
    [
        (16597, "count", "16\u202f597"),
        (1234567, "count", "1\u202f234\u202f567"),
        (608, "duration", "10\u00a0min 8\u00a0s"),
        (3725, "duration", "1\u00a0h 2\u00a0min 5\u00a0s"),
        (0, "duration", "0\u00a0s"),
        (0.4146, "percent", "41,5\u00a0%"),
        (None, "count", "—"),
    ],
)
def test_french_formats(value, unit, text):
    assert frenchformat.value(value, unit) == text


def test_changes_read_with_their_sign():
    assert frenchformat.change(12.34) == "+12,3\u00a0%"
    assert frenchformat.change(-4.0) == "−4,0\u00a0%"
    assert frenchformat.change(None) == "—"


def test_a_section_registered_by_another_app_is_summed_and_compared(network):
    irev = network.centres["irev"].home_page.get_site()

    def section(sites, year):
        return {
            "key": "essai",
            "title": "Essai",
            "figures": [
                {"key": "n", "label": "Inscrits", "by_site": {irev.pk: year - 1990}},
            ],
            "tables": [
                {
                    "key": "profil",
                    "title": "Par profil",
                    "columns": ["Profil", "Inscrits"],
                    "by_site": {irev.pk: {"Élu": [year - 2000]}},
                }
            ],
        }

    with hooks.register_temporarily("register_report_section", section):
        data = yearly_report([s.pk for s in network_sites()], YEAR, network=True, compare=BEFORE)
    figures = figures_of(data)
    assert figures["essai"] == {"n": (21, 20)}
    assert table(data, "essai", "profil")["rows"] == [["Élu", 11, 10, 10.0]]
    per_centre = {row[0]: row[1] for row in table(data, "essai", "per_centre")["rows"]}
    assert per_centre[irev.site_name or irev.hostname] == 21


def test_the_network_report_reads_rollups_not_raw_events(year_of_activity):
    """The report over rolled-up days reads no raw event of those days: deleting them
    changes nothing."""
    before = report_json()
    assert Event.objects.filter(day__year=YEAR).delete()[0] == 12 - 1
    assert report_json() == before
    assert before["page_views"] == 10


def test_the_queue_keeps_the_year_flag_and_reads_items_queued_before_it():
    from stats import queue

    fields = {
        "site_id": 1,
        "kind": "v",
        "occurred_at": at(date(YEAR, 1, 2), 10),
        "day": date(YEAR, 1, 2),
        "visitor": "k",
        "page_id": 2,
        "document_id": None,
        "path": "/",
        "referrer_host": "",
        "first_visit": False,
        "first_of_year": True,
    }
    assert queue.decode(queue.encode(fields)) == fields
    older = json.dumps(json.loads(queue.encode(fields))[:-1]).encode()
    assert queue.decode(older) == {**fields, "first_of_year": False}
