"""The agenda's, the library's and the offers' pages stay cheap: a warm request costs a fixed, small
number of SQL queries whatever the number of events or publications (no N+1 coming
back), and what is cached per content version never outlives a publication: a visitor
sees a change as soon as it is published, and a preview never leaks into the live page."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from agenda.models import EventPage
from demo.seed.media import ensure_document, pdf_bytes
from offers.models import OfferIndexPage
from publications.models import PublicationDocument
from publications.thumbnails import make_thumbnail

from .factories import OfferPageFactory
from .test_agenda_helpers import admin_form_data, agenda_of, fetch, make_event
from .test_covers import make_image
from .test_publications_helpers import group, kind, library_of, make_publication

# Site, the page itself (its route is remembered per content version: portal/routing.py;
# the version comes from the cache, portal.cache) and view restrictions (two queries,
# Wagtail's): what a warm request
# to these pages costs, with every computed count, list and fragment cached. The
# filtered library also checks its two filter values.
WARM_QUERIES = {
    "national agenda": ("http://localhost/agenda/", 1),
    "centre agenda": ("http://irev.localhost/agenda/", 1),
    "event page": ("http://irev.localhost/agenda/{event}/", 1),
    "national library": ("http://localhost/ressources/", 1),
    "filtered library": ("http://localhost/ressources/?group=sante&kind=publication", 3),
    "publication page": ("http://irev.localhost/ressources/{publication}/", 1),
    "working group page": ("http://localhost/groupes-de-travail/sante/", 1),
    "national offers": ("http://localhost/offres/", 1),
    "filtered offers": ("http://localhost/offres/?kind=emploi&centre=irev", 2),
    "offer page": ("http://irev.localhost/offres/{offer}/", 1),
    # Each section of a centre's home and of a theme page is a cached fragment
    # (centres.sections). One query per page: the page itself (the site, its identity,
    # the view restrictions and the route are remembered: portal.routing).
    "centre home": ("http://irev.localhost/", 1),
    "centre theme page": ("http://irev.localhost/thematiques/sante/", 1),
    "national theme page": ("http://localhost/thematiques/sante/", 1),
}


def queries_of(url):
    with CaptureQueriesContext(connection) as queries:
        response = fetch(url)
    assert response.status_code == 200, url
    return queries


def add_content(network, count, start=0):
    """`count` events and publications, each with organisers or authors, themes, a kind
    and an image (a cover, or a document whose first page is the thumbnail): what would
    multiply queries if anything were fetched per item."""
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    soon = timezone.localdate() + timedelta(days=3)
    photo = make_image(irev.collection, f"Photo {start}", size=(64, 36))
    report = ensure_document(
        irev.collection, f"Rapport {start}", pdf_bytes("Rapport", "IREV", ["Texte."]), "r.pdf"
    )
    make_thumbnail(report.pk)
    for number in range(start, start + count):
        make_event(
            agenda_of(irev.home_page),
            f"Rencontre {number}",
            organisers=[irev, oriv],
            themes=[f"thème {number}"],
            start_date=soon + timedelta(days=number),
            cover_image=photo,
            cover_alt="Une photo",
        )
        image = (
            {"documents": [PublicationDocument(document=report)]}
            if number % 2
            else {"cover_image": photo, "cover_alt": "Une couverture"}
        )
        make_publication(
            group("sante") if number % 2 else library_of(irev.home_page),
            f"Étude {number}",
            authors=[irev, oriv],
            themes=[f"thème {number}"],
            kind=kind("publication"),
            **image,
        )
        OfferPageFactory(
            parent=OfferIndexPage.objects.child_of(irev.home_page).get(),
            title=f"Offre {number}",
            closing_date=soon + timedelta(days=number),
            cover_image=photo,
            cover_alt="Une photo",
        )


@pytest.fixture
def pages(network):
    add_content(network, 2)
    event = make_event(
        agenda_of(network.centres["irev"].home_page),
        "Séance de référence",
        organisers=[network.centres["irev"]],
        themes=["santé"],
        start_date=timezone.localdate() + timedelta(days=5),
    )
    publication = make_publication(
        library_of(network.centres["irev"].home_page),
        "Publication de référence",
        authors=[network.centres["irev"]],
        themes=["santé"],
        kind=kind("publication"),
    )
    offer = OfferPageFactory(
        parent=OfferIndexPage.objects.child_of(network.centres["irev"].home_page).get(),
        title="Offre de référence",
    )
    return {
        name: url.format(event=event.slug, publication=publication.slug, offer=offer.slug)
        for name, (url, _) in WARM_QUERIES.items()
    }


def cold_counts(urls):
    """Each page right after the cache is emptied, as after a publication (the images'
    renditions, made once at an image's first view, are there as on a live site)."""
    for url in urls.values():
        fetch(url)
    counts = {}
    for name, url in urls.items():
        cache.clear()
        counts[name] = len(queries_of(url))
    return counts


def warm_counts(urls):
    counts = {}
    for name, url in urls.items():
        fetch(url)  # cold: fills the caches
        counts[name] = len(queries_of(url))
    return counts


def test_warm_requests_cost_a_fixed_number_of_queries(pages):
    assert warm_counts(pages) == {name: count for name, (_, count) in WARM_QUERIES.items()}


def test_queries_do_not_grow_with_the_events_and_publications_listed(network, pages):
    cold_before, warm_before = cold_counts(pages), warm_counts(pages)
    add_content(network, 25, start=2)  # more than a page of each
    assert cold_counts(pages) == cold_before
    assert warm_counts(pages) == warm_before


def test_a_published_change_shows_at_once_on_the_page_and_in_the_listings(network, pages):
    for url in pages.values():
        fetch(url)  # everything cached
    event = EventPage.objects.get(slug="seance-de-reference")
    event.title = "Séance renommée"
    event.save_revision().publish()
    for name in ("national agenda", "centre agenda", "event page"):
        html = fetch(pages[name].replace("seance-de-reference", event.slug)).content.decode()
        assert "Séance renommée" in html, name


def test_a_preview_shows_the_draft_and_leaves_the_live_page_alone(network, pages):
    event = EventPage.objects.get(slug="seance-de-reference")
    live_url = pages["event page"]
    assert "Séance de référence" in fetch(live_url).content.decode()  # cached
    client = network.client_for("admin", host="irev.localhost")
    form = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).context["form"]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[event.pk])
    assert client.post(url, admin_form_data(form, title="Brouillon jamais publié")).json()[
        "is_valid"
    ]
    assert "Brouillon jamais publié" in client.get(url).content.decode()
    html = fetch(live_url).content.decode()
    assert "Séance de référence" in html and "Brouillon jamais publié" not in html


def test_the_calendar_of_cached_events_matches_a_fresh_one(network, pages):
    url = "http://localhost/agenda/ical/"
    fresh = fetch(url).content
    assert fetch(url).content == fresh  # the second from cached VEVENT texts
    assert (
        fresh.count(b"BEGIN:VEVENT")
        == EventPage.objects.live()
        .filter(ends_at__gte=timezone.now() - timedelta(days=180))
        .count()
    )
    assert b"BEGIN:VTIMEZONE" in fresh and fresh.endswith(b"END:VCALENDAR\r\n")


HOMES = {"national home": "http://localhost/", "centre home": "http://irev.localhost/"}


def test_homes_cost_the_same_queries_whatever_the_content(network):
    """The national home and the centre homes, warm: as many queries with ten more
    events and publications (and their proposals' lists full or not) as before."""
    before = warm_counts(HOMES)
    add_content(network, 10)
    assert warm_counts(HOMES) == before


def test_the_national_home_reads_the_proposals_table_once_per_version(network):
    def reads():
        queries = queries_of(HOMES["national home"])
        return [q["sql"] for q in queries if 'FROM "showcase_proposal"' in q["sql"]]

    fetch(HOMES["national home"])
    cache.clear()  # as after a publication
    assert len(reads()) == 1  # the selection, built once
    assert reads() == []  # then cached until the next change
