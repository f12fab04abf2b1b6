"""A registrant's details appear nowhere public nor in the statistics (issue #20,
docs/registrations.md "Personal data"): not in search, the agenda's and the event's
feeds (RSS, Atom, iCalendar), the API, OAI-PMH, the sitemap, nor the statistics'
exports and yearly report (which count registrations, never name anyone)."""

import io
import zipfile
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django.utils.html import escape

import pytest

from registrations.models import Seat

from .factories import EventPageFactory, OpeningFactory
from .registrations_helpers import IREV, irev_agenda, register

EMAIL = "zqx-registrant-7781@exemple.fr"
NAME = "Quizzbert Xylophanedes"
ORGANISATION = "Association Vortqualm"
# Searched one at a time: a search page repeats its query, the others must not show.
WORDS = ("zqx-registrant-7781", "Quizzbert", "Xylophanedes", "Vortqualm")


def text_of(response) -> str:
    """The response's text; an office file (xlsx, docx: zip archives) unpacked."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


@pytest.mark.django_db
def test_a_registrant_appears_in_no_search_feed_api_oai_sitemap_or_statistics(network):
    agenda = irev_agenda(network)
    event = EventPageFactory(parent=agenda, start_date=timezone.localdate() + timedelta(days=1))
    opening = OpeningFactory(page=event)
    visitor = Client(HTTP_HOST=IREV)
    response = register(visitor, opening, EMAIL, name=NAME, organisation=ORGANISATION)
    assert response.status_code == 200
    Seat.objects.filter(registrant__email=EMAIL).update(attended=True)  # in the figures

    national = Client(HTTP_HOST="localhost")
    admin = network.client_for("admin")
    year = event.start_date.year
    irev_site = str(network.centres["irev"].home_page.get_site().pk)
    probes = [
        (visitor, "/recherche/?q=Quizzbert"),
        (visitor, "/recherche/?q=Xylophanedes"),
        (visitor, "/recherche/?q=zqx-registrant-7781"),
        (national, "/recherche/?q=Vortqualm"),
        (visitor, f"{agenda.url}rss/"),
        (visitor, f"{agenda.url}atom/"),
        (visitor, f"{agenda.url}ical/"),
        (visitor, f"{event.url}ical/"),
        (national, "/api/v2/events/?fields=*&limit=100"),
        (national, f"/api/v2/events/{event.pk}/"),
        (national, "/api/v2/events/?search=Xylophanedes"),
        (national, "/api/v2/events/?search=Quizzbert&fields=*"),
        (national, "/oai/?verb=ListRecords&metadataPrefix=oai_dc"),
        (national, "/sitemap.xml"),
        (visitor, "/sitemap.xml"),
        (admin, "/admin/statistiques/?site=reseau&format=csv"),
        (admin, f"/admin/statistiques/?site={irev_site}&format=xlsx"),
        (admin, f"/admin/statistiques/annuel/?site=reseau&year={year}"),
        (admin, f"/admin/statistiques/annuel/?site={irev_site}&year={year}&format=docx"),
        (admin, f"/admin/statistiques/annuel/?site={irev_site}&year={year}&format=xlsx"),
        (admin, f"/admin/inscriptions/chiffres/?annee={year}"),
    ]
    checked = 0
    for client, url in probes:
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)
        text = text_of(response)
        for word in WORDS:
            assert word in url or word not in text, (url, word)
        checked += response.status_code == 200
    assert checked >= len(probes) - 2  # a search filter the API may refuse, not more
    # The event itself is in these (the probes read the right lists)...
    assert event.title in text_of(visitor.get(f"{agenda.url}ical/"))
    # ...and the registrant in the figures, as a count.
    report = text_of(admin.get(f"/admin/inscriptions/chiffres/?annee={year}"))
    assert escape(event.title) in report
    # The registrant is there for the event's editors (the probe would find it).
    registrants = network.client_for("editeur-irev").get(f"/admin/inscriptions/{opening.pk}/")
    assert EMAIL in text_of(registrants)
