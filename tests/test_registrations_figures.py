"""Registration figures (registrations/figures.py): registered, present, no-shows, not
checked, by profile and by territory, per event and per year, per site or for the whole
network: what the admin's figures page and the yearly report show."""

import io
import re
from datetime import date, datetime
from html import escape, unescape

from django.utils import timezone

import pytest
from openpyxl import load_workbook

from agenda.models import AgendaPage
from newsletter.models import Profile
from registrations.figures import figures as seat_figures
from registrations.figures import seats_of, yearly
from registrations.models import Seat

from .factories import EventPageFactory, OpeningFactory, RegistrantFactory, SeatFactory
from .registrations_helpers import irev_agenda

pytestmark = pytest.mark.django_db


def test_yearly_figures_by_profile_and_territory(network):
    elected, association = Profile.objects.order_by("sort_order")[:2]
    agenda = irev_agenda(network)
    may = EventPageFactory(parent=agenda, start_date=date(2031, 5, 12))
    june = EventPageFactory(parent=agenda, start_date=date(2031, 6, 3))
    other_year = EventPageFactory(parent=agenda, start_date=date(2032, 1, 8))
    people = [
        (may, elected, "Nord", Seat.CONFIRMED, True),
        (may, elected, "nord ", Seat.CONFIRMED, False),
        (may, association, "Pas-de-Calais", Seat.CONFIRMED, True),
        (may, association, "Pas-de-Calais", Seat.WAITING, None),
        (june, None, "", Seat.CONFIRMED, None),
        (other_year, elected, "Nord", Seat.CONFIRMED, True),
    ]
    openings = {}
    for event, profile, territory, status, attended in people:
        if event.pk not in openings:
            openings[event.pk] = OpeningFactory(page=event)
        SeatFactory(
            registrant=RegistrantFactory(
                opening=openings[event.pk], profile=profile, territory=territory
            ),
            event=event,
            status=status,
            attended=attended,
        )
    figures = yearly(None, 2031)
    assert figures["year"] == 2031
    assert figures["totals"] == {
        "registered": 4,
        "present": 2,
        # Marked absent at a session still to come: the organiser's mark counts.
        "no_show": 1,
        # Unmarked at a session still to come: not checked, not a no-show.
        "unchecked": 1,
        "waiting": 1,
    }
    assert figures["by_profile"][elected.name]["registered"] == 2
    assert figures["by_profile"][elected.name]["present"] == 1
    assert figures["by_profile"][association.name]["present"] == 1
    assert figures["by_profile"][association.name]["waiting"] == 1
    assert figures["by_profile"]["non renseigné"]["unchecked"] == 1
    # Territories typed differently count together.
    assert figures["by_territory"]["Nord"]["registered"] == 2
    assert figures["by_territory"]["Pas-De-Calais"]["present"] == 1
    assert [e["id"] for e in figures["events"]] == [may.pk, june.pk]
    assert figures["events"][0]["present"] == 2 and figures["events"][0]["no_show"] == 1
    assert figures["events"][0]["by_profile"][elected.name]["no_show"] == 1
    # Per site: IREV's events; ORIV has none; the network is the sum.
    irev = network.centres["irev"].home_page.get_site()
    oriv = network.centres["oriv"].home_page.get_site()
    assert yearly(irev, 2031)["totals"] == figures["totals"]
    assert yearly(oriv, 2031)["totals"]["registered"] == 0
    assert yearly(None, 2032)["totals"]["present"] == 1


def test_the_coordination_reads_every_centre_s_figures_per_centre(network):
    for slug, count in (("irev", 2), ("oriv", 1)):
        home = network.centres[slug].home_page
        event = EventPageFactory(
            parent=AgendaPage.objects.child_of(home).get(), start_date=date(2031, 3, 4)
        )
        opening = OpeningFactory(page=event)
        for _ in range(count):
            SeatFactory(registrant=RegistrantFactory(opening=opening), event=event)
    page = network.client_for("coordination").get("/admin/inscriptions/chiffres/?annee=2031")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Par centre (site)" in text
    for slug, count in (("irev", 2), ("oriv", 1)):
        name = network.centres[slug].home_page.get_site().site_name
        assert f'<th scope="row">{escape(name)}</th><td>{count}</td>' in text
    assert "inscrit0@exemple.fr" not in text and "Personne" not in text


def test_the_yearly_report_shows_registrations_per_centre_and_for_the_network(network):
    """The report's section (through stats' hook): IREV's seats on IREV's report, both
    centres' on the network's, each event counted for one site only, beside the year
    before."""
    from wagtail.models import Site

    from stats.yearly import yearly_report

    elected = Profile.objects.order_by("sort_order").first()
    oriv_agenda = AgendaPage.objects.child_of(network.centres["oriv"].home_page).get()
    seats = [
        (irev_agenda(network), date(2031, 5, 12), Seat.CONFIRMED, True),
        (irev_agenda(network), date(2031, 5, 12), Seat.CONFIRMED, False),
        (irev_agenda(network), date(2031, 5, 12), Seat.WAITING, None),
        (oriv_agenda, date(2031, 9, 1), Seat.CONFIRMED, True),
        (oriv_agenda, date(2030, 9, 1), Seat.CONFIRMED, True),
    ]
    for agenda, day, status, attended in seats:
        event = EventPageFactory(parent=agenda, start_date=day)
        SeatFactory(
            registrant=RegistrantFactory(
                opening=OpeningFactory(page=event), profile=elected, territory="Nord"
            ),
            event=event,
            status=status,
            attended=attended,
        )
    irev = network.centres["irev"].home_page.get_site()

    def section(site_ids, network_report):
        data = yearly_report(site_ids, 2031, network=network_report, compare=2030)
        found = next(s for s in data["sections"] if s["key"] == "registrations")
        return {f["key"]: (f["value"], f["previous"]) for f in found["figures"]}, found

    figures, _ = section([irev.pk], False)
    assert figures["registered"] == (2, 0) and figures["waiting"] == (1, 0)
    assert figures["present"] == (1, 0) and figures["no_show"] == (1, 0)
    figures, found = section([s.pk for s in Site.objects.all()], True)
    assert figures["registered"] == (3, 1) and figures["present"] == (2, 1)
    profile = next(t for t in found["tables"] if t["key"] == "by_profile")
    assert profile["rows"][0][:3] == [elected.name, 3, 2]


# --- no-shows: who was not ticked at a session checked in ----------------------------------


def checked_in_year(network):
    """Two years back (every session ended) and next year's session (still to come):
    - at IREV on 10 March, a session checked in: two ticked present, one left unmarked
      (a no-show: the organiser ticked who came), one marked absent, one on the waiting
      list (never a no-show);
    - at ORIV on 2 February, a session nobody checked in: its two seats not checked;
    - at IREV next year on 5 February, a session still to come: one seat, one waiting.
    Returns (that year, {name: event})."""
    elected, association = Profile.objects.order_by("sort_order")[:2]
    # Two years back: the demo's session held and checked in (some weeks ago) falls in
    # last year in January and February, and the network's totals would count it.
    last = timezone.localdate().year - 2
    oriv_agenda = AgendaPage.objects.child_of(network.centres["oriv"].home_page).get()
    events = {
        "checked": EventPageFactory(
            parent=irev_agenda(network), title="Atelier pointé", start_date=date(last, 3, 10)
        ),
        "unchecked": EventPageFactory(
            parent=oriv_agenda, title="Atelier sans pointage", start_date=date(last, 2, 2)
        ),
        "future": EventPageFactory(
            parent=irev_agenda(network), title="Atelier à venir", start_date=date(last + 3, 2, 5)
        ),
    }
    people = [
        ("checked", elected, "Nord", Seat.CONFIRMED, True),
        ("checked", elected, "nord", Seat.CONFIRMED, True),
        ("checked", association, "Nord", Seat.CONFIRMED, None),
        ("checked", association, "Somme", Seat.CONFIRMED, False),
        ("checked", None, "Somme", Seat.WAITING, None),
        ("unchecked", elected, "Somme", Seat.CONFIRMED, None),
        ("unchecked", association, "", Seat.CONFIRMED, None),
        ("future", elected, "Nord", Seat.CONFIRMED, None),
        ("future", association, "Nord", Seat.WAITING, None),
    ]
    openings = {}
    for key, profile, territory, status, attended in people:
        event = events[key]
        opening = openings.get(key) or openings.setdefault(key, OpeningFactory(page=event))
        SeatFactory(
            registrant=RegistrantFactory(opening=opening, profile=profile, territory=territory),
            event=event,
            status=status,
            attended=attended,
        )
    return last, events


def counts(registered, present, no_show, unchecked, waiting):
    return dict(zip(COLUMNS, (registered, present, no_show, unchecked, waiting)))


COLUMNS = ("registered", "present", "no_show", "unchecked", "waiting")


def test_unticked_seats_of_a_checked_in_session_that_ended_are_no_shows(network):
    elected, association = Profile.objects.order_by("sort_order")[:2]
    last, events = checked_in_year(network)
    irev = network.centres["irev"].home_page.get_site()
    oriv = network.centres["oriv"].home_page.get_site()

    figures = yearly(None, last)
    assert figures["totals"] == counts(6, 2, 2, 2, 1)
    assert figures["by_profile"] == {
        elected.name: counts(3, 2, 0, 1, 0),
        association.name: counts(3, 0, 2, 1, 0),
        "non renseigné": counts(0, 0, 0, 0, 1),
    }
    assert figures["by_territory"] == {
        "Nord": counts(3, 2, 1, 0, 0),
        "Somme": counts(2, 0, 1, 1, 1),
        "non renseigné": counts(1, 0, 0, 1, 0),
    }
    assert figures["by_site"] == {
        irev.site_name: counts(4, 2, 2, 0, 1),
        oriv.site_name: counts(2, 0, 0, 2, 0),
    }
    # In date order across the centres, each with its centre.
    assert [(e["title"], e["site"]) for e in figures["events"]] == [
        ("Atelier sans pointage", oriv.site_name),
        ("Atelier pointé", irev.site_name),
    ]
    assert {k: figures["events"][1][k] for k in COLUMNS} == counts(4, 2, 2, 0, 1)
    assert {k: figures["events"][0][k] for k in COLUMNS} == counts(2, 0, 0, 2, 0)
    assert figures["events"][1]["by_profile"][association.name] == counts(2, 0, 2, 0, 0)
    # Per site: the network is the sum.
    assert yearly(irev, last)["totals"] == counts(4, 2, 2, 0, 1)
    assert yearly(oriv, last)["totals"] == counts(2, 0, 0, 2, 0)
    # The session still to come: neither present nor no-show yet.
    [future] = [e for e in yearly(irev, last + 3)["events"] if e["id"] == events["future"].pk]
    assert {k: future[k] for k in COLUMNS} == counts(1, 0, 0, 1, 1)


def test_a_session_checked_in_while_still_on_leaves_the_unticked_not_checked(network):
    """Check-in on the day, session not over yet: whoever is not ticked yet may still
    come (the day's session ends tonight, in the centre's time zone)."""
    event = EventPageFactory(parent=irev_agenda(network), start_date=timezone.localdate())
    opening = OpeningFactory(page=event)
    for attended in (True, None):
        SeatFactory(registrant=RegistrantFactory(opening=opening), event=event, attended=attended)
    assert seat_figures(seats_of(opening_ids=[opening.pk]))["totals"] == counts(2, 1, 0, 1, 0)


def rows_of(html: str, caption: str) -> dict:
    """{row label: [cells]} of the admin's table with this caption."""
    match = re.search(rf"<caption>{caption}</caption>(.*?)</table>", html, re.S)
    assert match, f"no table « {caption} »"
    return {
        unescape(label): [unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", cells)]
        for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', match.group(1))
    }


def test_the_admin_figures_page_shows_no_shows_and_not_checked(network):
    elected, association = Profile.objects.order_by("sort_order")[:2]
    last, _ = checked_in_year(network)
    irev = network.centres["irev"].home_page.get_site()
    oriv = network.centres["oriv"].home_page.get_site()
    page = network.client_for("coordination").get(f"/admin/inscriptions/chiffres/?annee={last}")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        f"En {last}\u00a0: 6 inscrits, 2 présents, 2 absents, 2 non pointés, 1 en liste d’attente."
        in unescape(html)
    )
    assert rows_of(html, "Par centre \\(site\\)") == {
        irev.site_name: ["4", "2", "2", "0", "1"],
        oriv.site_name: ["2", "0", "0", "2", "0"],
    }
    assert rows_of(html, "Par profil") == {
        elected.name: ["3", "2", "0", "1", "0"],
        association.name: ["3", "0", "2", "1", "0"],
        "non renseigné": ["0", "0", "0", "0", "1"],
    }
    assert rows_of(html, "Par territoire") == {
        "Nord": ["3", "2", "1", "0", "0"],
        "Somme": ["2", "0", "1", "1", "1"],
        "non renseigné": ["1", "0", "0", "1", "0"],
    }
    assert list(rows_of(html, "Par événement").items()) == [
        ("Atelier sans pointage", [f"2 février {last}", oriv.site_name, "2", "0", "0", "2", "0"]),
        ("Atelier pointé", [f"10 mars {last}", irev.site_name, "4", "2", "2", "0", "1"]),
    ]


def lines(table) -> dict:
    """{first cell: the other cells} of a report's table (rows of equal counts come in
    the labels' order, which the profiles' names decide)."""
    return {row[0]: row[1:] for row in table["rows"]}


def test_the_yearly_report_tables_by_profile_territory_and_event(network):
    """The report's registrations section for IREV, then for the network (the centres'
    sum, their events listed together in date order), on the page and in the XLSX."""
    from wagtail.models import Site

    from stats.yearly import yearly_report

    elected, association = Profile.objects.order_by("sort_order")[:2]
    last, _ = checked_in_year(network)
    irev = network.centres["irev"].home_page.get_site()
    oriv = network.centres["oriv"].home_page.get_site()

    def section(site_ids, network_report):
        data = yearly_report(site_ids, last, network=network_report, compare=last - 1)
        found = next(s for s in data["sections"] if s["key"] == "registrations")
        figures = {f["key"]: f["value"] for f in found["figures"]}
        return figures, {t["key"]: t for t in found["tables"]}

    figures, tables = section([irev.pk], False)
    assert figures == {
        "registered": 4,
        "present": 2,
        "no_show": 2,
        "unchecked": 0,
        "waiting": 1,
        "presence": 0.5,
    }
    assert tables["by_profile"]["columns"][1:] == [
        "Inscrits",
        "Présents",
        "Absents",
        "Non pointés",
        "Liste d’attente",
    ]
    assert lines(tables["by_profile"]) == {
        elected.name: [2, 2, 0, 0, 0],
        association.name: [2, 0, 2, 0, 0],
        "non renseigné": [0, 0, 0, 0, 1],
    }
    assert lines(tables["by_territory"]) == {"Nord": [3, 2, 1, 0, 0], "Somme": [1, 0, 1, 0, 1]}
    assert tables["by_event"]["rows"] == [
        ["Atelier pointé", f"{last}-03-10", irev.site_name, 4, 2, 2, 0, 1],
    ]

    figures, tables = section([s.pk for s in Site.objects.all()], True)
    assert (figures["registered"], figures["no_show"], figures["unchecked"]) == (6, 2, 2)
    assert lines(tables["by_profile"]) == {
        elected.name: [3, 2, 0, 1, 0],
        association.name: [3, 0, 2, 1, 0],
        "non renseigné": [0, 0, 0, 0, 1],
    }
    assert lines(tables["by_territory"]) == {
        "Nord": [3, 2, 1, 0, 0],
        "Somme": [2, 0, 1, 1, 1],
        "non renseigné": [1, 0, 0, 1, 0],
    }
    assert tables["by_event"]["rows"] == [
        ["Atelier sans pointage", f"{last}-02-02", oriv.site_name, 2, 0, 0, 2, 0],
        ["Atelier pointé", f"{last}-03-10", irev.site_name, 4, 2, 2, 0, 1],
    ]
    per_centre = {row[0]: row[1:] for row in tables["per_centre"]["rows"]}
    assert per_centre[irev.site_name] == [4, 2, 2, 0, 1]
    assert per_centre[oriv.site_name] == [2, 0, 0, 2, 0]

    # As the coordination reads it: the page (French dates) and the workbook (dates).
    client = network.client_for("coordination")
    query = {"site": "reseau", "year": last, "compare": last - 1}
    html = unescape(client.get("/admin/statistiques/annuel/", query).content.decode())
    assert "Participants par événement" in html
    assert (
        f'<th scope="row">Atelier pointé</th><td class="stats-number">10 mars {last}</td>' in html
    )
    workbook = load_workbook(
        io.BytesIO(client.get("/admin/statistiques/annuel/", {**query, "format": "xlsx"}).content)
    )
    # Sheet names are cut at 31 characters: the sheet is found by its title.
    [sheet] = [s for s in workbook if s["A1"].value.endswith("Participants par événement")]
    sheet = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sheet[1][:4] == ["Atelier pointé", datetime(last, 3, 10), irev.site_name, 4]
