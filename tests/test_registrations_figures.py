"""Registration figures (registrations/figures.py): registered, present, absent, by
profile and by territory, per event and per year, per site or for the whole network:
what the yearly report reads through `registrations.figures.yearly`."""

from datetime import date
from html import escape

import pytest

from agenda.models import AgendaPage
from newsletter.models import Profile
from registrations.figures import yearly
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
        "waiting": 1,
        "present": 2,
        "absent": 1,
        "unmarked": 1,
    }
    assert figures["by_profile"][elected.name]["registered"] == 2
    assert figures["by_profile"][elected.name]["present"] == 1
    assert figures["by_profile"][association.name]["present"] == 1
    assert figures["by_profile"][association.name]["waiting"] == 1
    assert figures["by_profile"]["non renseigné"]["unmarked"] == 1
    # Territories typed differently count together.
    assert figures["by_territory"]["Nord"]["registered"] == 2
    assert figures["by_territory"]["Pas-De-Calais"]["present"] == 1
    assert [e["id"] for e in figures["events"]] == [may.pk, june.pk]
    assert figures["events"][0]["present"] == 2 and figures["events"][0]["absent"] == 1
    assert figures["events"][0]["by_profile"][elected.name]["absent"] == 1
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
    assert figures["present"] == (1, 0) and figures["absent"] == (1, 0)
    figures, found = section([s.pk for s in Site.objects.all()], True)
    assert figures["registered"] == (3, 1) and figures["present"] == (2, 1)
    profile = next(t for t in found["tables"] if t["key"] == "by_profile")
    assert profile["rows"][0][:3] == [elected.name, 3, 2]
