"""French as the French write it (issue #21): "1er décembre", "0 résultat", facets
sorted with accents in place, generated titles ("du réseau", "à La Réunion"); the admin's
event listing with dates and an upcoming/past filter; an online event published before
its connection link is known."""

import re
from datetime import date, timedelta

from django.test import Client
from django.utils import timezone, translation

import pytest

from agenda.models import Attendance
from portal.formats.french import format_date
from portal.listing import sort_key
from portal.wording import in_territory, of, the

from .test_agenda_helpers import agenda_of, make_event

pytestmark = pytest.mark.django_db


def test_the_first_of_the_month_is_1er():
    with translation.override("fr"):
        assert format_date(date(2026, 12, 1)) == "1er décembre 2026"
        assert format_date(date(2026, 12, 1), "l j F Y") == "mardi 1er décembre 2026"
        assert format_date(date(2026, 12, 11)) == "11 décembre 2026"
        assert format_date(date(2026, 12, 21)) == "21 décembre 2026"
    with translation.override("en"):
        assert not format_date(date(2026, 12, 1)).startswith("1er")


def test_an_event_on_the_first_reads_1er_on_its_page(network):
    event = make_event(
        agenda_of(network.centres["irev"].home_page),
        "Rencontre du premier",
        start_date=date(2031, 12, 1),
    )
    html = Client(HTTP_HOST="irev.localhost").get(event.url).content.decode()
    assert "1er décembre 2031" in html


def test_zero_and_one_are_singular_in_french():
    with translation.override("fr"):
        from django.utils.translation import ngettext

        words = [
            ngettext("%(counter)s ressource", "%(counter)s ressources", n) % {"counter": n}
            for n in (0, 1, 2)
        ]
    assert words == ["0 ressource", "1 ressource", "2 ressources"]


def test_an_empty_listing_says_0_resource(network):
    html = Client(HTTP_HOST="irev.localhost").get("/ressources/?year=1990").content.decode()
    assert re.search(r">\s*0 ressource\s*<", html), "0 is singular in French"


def test_facets_sort_accents_in_place(network):
    event = make_event(
        agenda_of(network.centres["irev"].home_page),
        "Rencontre à thèmes",
        themes=["égalité femmes-hommes", "emploi", "éducation", "zones rurales", "culture"],
        start_date=timezone.localdate() + timedelta(days=3),
    )
    assert event.live
    html = Client(HTTP_HOST="irev.localhost").get("/agenda/").content.decode()
    select = re.search(r'<select id="filter-theme".*?</select>', html, re.S)
    assert select, "the theme facet"
    labels = re.findall(
        r"<option value=\"[^\"]+\"[^>]*>([^<(]+?) \(\d+\)</option>", select.group(0)
    )
    assert labels == sorted(labels, key=sort_key)
    assert (
        labels.index("éducation") < labels.index("égalité femmes-hommes") < labels.index("emploi")
    )
    assert sort_key("Cité Ressources") < sort_key("CRPVE")


def test_the_centres_list_sorts_accents_in_place(network):
    # SQLite's default collation compares bytes: "CRPVE" before "Cité Ressources".
    html = Client(HTTP_HOST="localhost").get("/les-crpv/").content.decode()
    section = re.search(r'<section aria-labelledby="centres".*?</section>', html, re.S)
    assert section, "the list of centres"
    listed = section.group(0)
    assert listed.index("Cité Ressources") < listed.index("CRPVE")


def test_the_working_groups_sort_accents_in_place(network):
    html = Client(HTTP_HOST="localhost").get("/groupes-de-travail/").content.decode()
    names = re.findall(r'<h2 class="card-title"><a href="[^"]*">([^<]+)</a>', html)
    assert len(names) == 12
    assert names == sorted(names, key=sort_key)
    assert (
        names.index("Éducation")
        < names.index("Santé")
        < names.index("Transition écologique et politique de la ville")
    )


def test_the_centres_api_pages_through_in_french_order(network):
    from .test_interop_api import get

    first = get("/api/v2/centres/", limit=10).json()
    second = get("/api/v2/centres/", limit=10, offset=10).json()
    names = [c["name"] for c in first["items"] + second["items"]]
    assert first["meta"]["total_count"] == len(names) == len(set(names)) == 19
    assert names == sorted(names, key=sort_key)
    assert names.index("Cité Ressources") < names.index("CRPVE")


def test_generated_titles_read_as_french():
    assert in_territory("La Réunion") == "à La Réunion"
    assert in_territory("Mayotte") == "à Mayotte"
    assert in_territory("Hauts-de-France") == "dans les Hauts-de-France"
    assert in_territory("Occitanie") == "en Occitanie"
    assert in_territory("Île-de-France") == "en Île-de-France"
    assert in_territory("Guyane") == "en Guyane"
    assert in_territory("Val-d'Oise") == "dans le Val-d’Oise"
    assert of("le réseau") == "du réseau"
    assert of("IREV") == "d’IREV"
    assert of("Labo Cités") == "de Labo Cités"
    assert of("Île-de-France") == "d’Île-de-France"


def test_themes_take_their_article():
    assert the("renouvellement urbain") == "le renouvellement urbain"
    assert the("santé") == "la santé"
    assert the("éducation") == "l’éducation"
    assert the("égalité femmes-hommes") == "l’égalité femmes-hommes"
    assert the("cités éducatives") == "les cités éducatives"
    assert the("lutte contre les discriminations") == "la lutte contre les discriminations"
    assert the("handicap") == "le handicap"


# What a generated text must never say: "de le", a territory after a bare "en" that
# takes another preposition, a theme without its article after "sur".
WRONG_FRENCH = re.compile(
    r"\bde le\b|\ben (?:La Réunion|Mayotte|Hauts-de-France|Grand Est|Val-d)"
    r"|\bsur (?:renouvellement|développement|santé|éducation|culture|emploi|sport)\b"
)


def test_the_seeded_titles_read_as_french(network):
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from centres.models import CentreHomePage
    from publications.models import PublicationPage

    titles = list(Page.objects.values_list("title", flat=True))
    introductions = list(CentreHomePage.objects.values_list("introduction", flat=True))
    summaries = list(PublicationPage.objects.values_list("summary", flat=True))
    documents = list(get_document_model().objects.values_list("title", flat=True))
    texts = titles + introductions + summaries + documents
    assert not [t for t in texts if WRONG_FRENCH.search(t)]
    assert any("à La Réunion" in t for t in titles)
    assert any("du réseau" in t for t in titles)
    # Each centre's home says where it works with the right preposition.
    homes = {home.slug: home.introduction for home in CentreHomePage.objects.all()}
    assert "politique de la ville à La Réunion" in homes["crcsur"]
    assert "politique de la ville dans les Hauts-de-France" in homes["irev"]
    assert "politique de la ville en Île-de-France" in homes["ressources-urbaines"]
    assert "politique de la ville en Guyane" in homes["crpv-guyane"]
    assert "\u00a0: centre de ressources" in homes["irev"]
    # The seeded resources' summaries give their theme its article.
    seeded = [s for s in summaries if s.startswith("Une ressource ")]
    assert seeded and all(re.search(r" sur (?:le |la |l’|les )", s) for s in seeded)


def test_the_seeded_reports_read_as_french(network):
    from wagtail.documents import get_document_model

    from portal.models import DocumentText

    centre = network.centres["crcsur"]
    report = get_document_model().objects.get(
        collection=centre.collection, file__contains="-rapport"
    )
    # The text the seed extracted from the PDF file (the file itself is in the seeding
    # worker's memory storage only, not in every test worker's).
    text = DocumentText.objects.get(document=report).text
    assert "politique de la ville à La Réunion" in " ".join(text.split())


def test_the_admin_event_listing_shows_dates_and_filters_by_period(network):
    agenda = agenda_of(network.centres["irev"].home_page)
    make_event(agenda, "Séance future", start_date=timezone.localdate() + timedelta(days=40))
    make_event(agenda, "Séance passée", start_date=date(2020, 3, 1))
    client = network.client_for("editeur-irev", host="irev.localhost")
    html = client.get("/admin/events/").content.decode()
    assert "Séance future" in html and "Séance passée" in html
    assert "dimanche 1er mars 2020" in html  # each event's dates
    upcoming = client.get("/admin/events/?when=a-venir").content.decode()
    assert "Séance future" in upcoming and "Séance passée" not in upcoming
    past = client.get("/admin/events/?when=passes").content.decode()
    assert "Séance passée" in past and "Séance future" not in past


def test_an_online_event_is_published_before_its_link_is_known(network):
    from django.core.exceptions import ValidationError

    agenda = agenda_of(network.centres["irev"].home_page)
    event = make_event(
        agenda,
        "Webinaire sans lien",
        attendance=Attendance.ONLINE,
        online_url="",
        online_url_later=True,
        venue="",
        city="",
        start_date=timezone.localdate() + timedelta(days=10),
    )
    assert event.live
    html = Client(HTTP_HOST="irev.localhost").get(event.url).content.decode()
    assert "Lien communiqué aux inscrits" in html
    event.online_url_later = False
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "online_url" in error.value.message_dict
