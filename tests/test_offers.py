"""Job offers and calls (`/offres/` on every site): the listing of open offers with its
filters and counts, the national aggregate, an offer past its closing date leaving the
listing and the feeds while its page stays reachable, RSS/Atom with the same filters."""

import re
from datetime import date, timedelta
from html import unescape

from django.test import Client
from django.utils import timezone

import feedparser
import pytest

from centres.models import Centre
from offers.models import OfferIndexPage, OfferKind, OfferPage

from .factories import OfferPageFactory

pytestmark = pytest.mark.django_db


def offers_of(home):
    return OfferIndexPage.objects.child_of(home).get()


def get(host, path, **params):
    response = Client(HTTP_HOST=host).get(path, params)
    assert response.status_code == 200, (host, path, response.status_code)
    return response


def listed(host, path="/offres/", **params):
    response = get(host, path, **params)
    return {item.pk for item in response.context["results"]}, response


def feed(host, fmt="rss", **params):
    response = get(host, f"/offres/{fmt}/", **params)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


@pytest.fixture
def irev_offers(network):
    return offers_of(network.centres["irev"].home_page)


def test_every_site_has_its_offers_listing(network):
    assert OfferIndexPage.objects.count() == Centre.objects.count() + 1
    for host in ("localhost", "irev.localhost", "crpv-mayotte.localhost"):
        response = get(host, "/offres/")
        assert response.context["page"].specific.__class__ is OfferIndexPage


def test_an_offer_past_its_closing_date_leaves_the_listing_and_the_feeds(irev_offers):
    today = timezone.localdate()
    closes_today = OfferPageFactory(parent=irev_offers, title="Ferme ce soir", closing_date=today)
    closed = OfferPageFactory(
        parent=irev_offers, title="Fermée hier", closing_date=today - timedelta(days=1)
    )
    for host in ("irev.localhost", "localhost"):
        ids, response = listed(host)
        assert closes_today.pk in ids and closed.pk not in ids
        assert "Fermée hier" not in unescape(response.content.decode())
        for fmt in ("rss", "atom"):
            titles = {entry.title for entry in feed(host, fmt).entries}
            assert "Ferme ce soir" in titles and "Fermée hier" not in titles
    # Still reachable at its address, marked closed, without the way to apply.
    page = get("irev.localhost", f"/offres/{closed.slug}/")
    html = unescape(page.content.decode())
    assert "Offre clôturée" in html and "Fermée hier" in html
    assert "Candidater" not in html
    open_page = unescape(get("irev.localhost", f"/offres/{closes_today.slug}/").content.decode())
    assert "Offre clôturée" not in open_page


def test_the_seeded_closed_offer_is_reachable_and_marked(network):
    closed = OfferPage.objects.get(closing_date__lt=timezone.localdate())
    html = unescape(get("irev.localhost", f"/offres/{closed.slug}/").content.decode())
    assert "Offre clôturée" in html
    ids, _ = listed("irev.localhost")
    assert closed.pk not in ids


def test_a_centre_lists_its_own_offers_and_the_portal_every_open_offer(network, irev_offers):
    ours = OfferPageFactory(parent=irev_offers, title="Offre de l'IREV")
    other = OfferPageFactory(
        parent=offers_of(network.centres["crcsur"].home_page), title="Offre du CRCSUR"
    )
    irev, _ = listed("irev.localhost")
    assert ours.pk in irev and other.pk not in irev
    national, response = listed("localhost")
    open_offers = OfferPage.objects.live().filter(closing_date__gte=timezone.localdate())
    assert national <= set(open_offers.values_list("pk", flat=True))
    assert response.context["results"].paginator.count == open_offers.count()
    in_irev, _ = listed("localhost", centre="irev")
    assert ours.pk in in_irev and other.pk not in in_irev


def facet(response, name):
    return {
        o.value: o.count for f in response.context["facets"] if f.name == name for o in f.options
    }


def test_filters_narrow_the_listing_and_count_what_each_choice_would_list(network, irev_offers):
    call = OfferPageFactory(parent=irev_offers, kind=OfferKind.CALL, territory="Nord")
    OfferPageFactory(parent=irev_offers, kind=OfferKind.FUNDING, territory="Nord")
    ids, response = listed("localhost", kind=OfferKind.CALL)
    assert call.pk in ids
    assert all(OfferPage.objects.get(pk=pk).kind == OfferKind.CALL for pk in ids)
    # The kind facet counts over the other filters, its own left out.
    open_offers = OfferPage.objects.live().filter(closing_date__gte=timezone.localdate())
    kinds = facet(response, "kind")
    for kind in OfferKind.values:
        assert kinds.get(kind, 0) == open_offers.filter(kind=kind).count()
    # Centre: by the site the offer lives on.
    ids, response = listed("localhost", centre="irev")
    irev_home = network.centres["irev"].home_page
    expected = open_offers.descendant_of(irev_home).values_list("pk", flat=True)
    assert ids == set(expected)
    centres = facet(response, "centre")
    assert centres["irev"] == len(expected)
    assert (
        centres["crcsur"] == open_offers.descendant_of(network.centres["crcsur"].home_page).count()
    )
    # Territory, and the month of closing.
    ids, _ = listed("localhost", territory="Nord")
    assert ids == set(open_offers.filter(territory="Nord").values_list("pk", flat=True))
    month = call.closing_date.strftime("%Y-%m")
    ids, response = listed("localhost", closing=month)
    assert call.pk in ids
    assert all(OfferPage.objects.get(pk=pk).closing_date.strftime("%Y-%m") == month for pk in ids)
    assert facet(response, "closing")[month] == len(ids)


def test_an_offer_takes_the_territory_of_its_centre_unless_given(network, irev_offers):
    offer = OfferPageFactory(parent=irev_offers, territory="")
    assert offer.territory == network.centres["irev"].territory


def test_unknown_filter_values_are_ignored(network):
    everything, _ = listed("localhost")
    for params in (
        {"kind": "nope"},
        {"centre": "inconnu"},
        {"territory": "Atlantide"},
        {"closing": "2031-13"},
        {"closing": "x" * 500},
    ):
        ids, response = listed("localhost", **params)
        assert ids == everything, params
        assert response.context["query"] == {}


def test_feeds_carry_the_listing_filters(network, irev_offers):
    call = OfferPageFactory(parent=irev_offers, kind=OfferKind.CALL, title="Appel du Nord")
    job = OfferPageFactory(parent=irev_offers, kind=OfferKind.JOB, title="Poste du Nord")
    _, response = listed("irev.localhost", kind=OfferKind.CALL)
    html = response.content.decode()
    assert 'href="/offres/rss/?kind=appel-a-projets"' in html
    assert 'type="application/atom+xml"' in html
    parsed = feed("localhost", "rss", kind=OfferKind.CALL, centre="irev")
    links = {entry.link for entry in parsed.entries}
    assert call.full_url in links and job.full_url not in links
    assert all(entry.tags[0].term == "Appel à projets" for entry in parsed.entries)
    atom = feed("irev.localhost", "atom")
    assert {call.full_url, job.full_url} <= {entry.link for entry in atom.entries}
    assert atom.feed.title.startswith("Offres et appels")


def test_the_offer_page_shows_what_the_recruiter_gave(irev_offers):
    offer = OfferPageFactory(
        parent=irev_offers,
        title="Chef·fe de projet renouvellement urbain",
        organisation="Métropole européenne de Lille",
        place="Lille",
        contract="CDI, temps plein",
        link="https://emploi.example.org/offre/42",
    )
    html = unescape(get("irev.localhost", f"/offres/{offer.slug}/").content.decode())
    for text in ("Métropole européenne de Lille", "Lille", "CDI, temps plein", "Candidater"):
        assert text in html
    assert 'href="https://emploi.example.org/offre/42"' in html
    assert html.count("<h1") == 1


# --- search and the newsletter ----------------------------------------------------------


def test_search_finds_an_offer_with_its_type(network, irev_offers):
    from .test_search_page import options, titles

    OfferPageFactory(
        parent=irev_offers,
        title="Médiateur·rice numérique en quartier prioritaire",
        organisation="Centre social de Tourcoing",
        summary="Accompagner les habitants dans leurs démarches en ligne.",
    )
    for host in ("localhost", "irev.localhost"):
        response = Client(HTTP_HOST=host).get("/recherche/", {"q": "médiateur numérique"})
        assert response.status_code == 200
        assert "Médiateur·rice numérique en quartier prioritaire" in titles(response)
        assert "Offre ou appel" in unescape(response.content.decode())
        assert "offre" in options(response, "type")
    response = Client(HTTP_HOST="localhost").get("/recherche/", {"q": "Tourcoing", "type": "offre"})
    assert titles(response) == ["Médiateur·rice numérique en quartier prioritaire"]


def test_search_marks_a_closed_offer_with_its_closing_date(network, irev_offers):
    # Found on purpose (its page stays reachable), but its card says it is closed.
    closed = OfferPageFactory(
        parent=irev_offers,
        title="Animateur·rice de réseau en Sambre-Avesnois",
        closing_date=date(2021, 3, 1),
    )
    OfferPageFactory(parent=irev_offers, title="Animateur·rice de réseau en Thiérache")
    html = unescape(
        Client(HTTP_HOST="localhost")
        .get("/recherche/", {"q": "animateur réseau", "type": "offre"})
        .content.decode()
    )
    cards = {
        re.sub(r"<[^>]+>", "", re.search(r"<h3>(.*?)</h3>", card, re.S).group(1)): card
        for card in re.findall(r'<li class="search-result">.*?</li>', html, re.S)
    }
    card = cards[closed.title]
    assert "Offre clôturée" in card
    assert "ouvertes jusqu’au" in card and "1er mars 2021" in card
    assert "clôturée" not in cards["Animateur·rice de réseau en Thiérache"]


def test_the_newsletter_is_filled_with_the_open_offers_first(network, irev_offers):
    from newsletter.filling import fill

    from .newsletter_helpers import letter_for, monthly

    today = timezone.localdate()
    fresh = OfferPageFactory(parent=irev_offers, title="Offre toute fraîche")
    OfferPageFactory(
        parent=irev_offers, title="Offre déjà close", closing_date=today - timedelta(days=2)
    )
    letter = letter_for(monthly(network.centres["irev"].home_page.get_site()), body=[])
    fill(letter)
    items = [block.value for block in letter.body if block.block_type == "item"]
    by_title = {item["title"]: item for item in items}
    assert "Offre déjà close" not in by_title
    assert by_title[fresh.title]["kind"] == "Offre"
    assert by_title[fresh.title]["date"].startswith("Clôture le ")
    added = [item for item in items if item["title"] != "Un article"]  # the helper's own
    assert added[0]["kind"] == "Offre"
