"""`/ressources/` on the national portal and on a centre's site: scope, filters and their
counts, sort, pagination, bad input, the old `/publications` address, queries, feeds."""

import re
import xml.etree.ElementTree as ET
from datetime import date
from email.utils import parsedate_to_datetime
from html import unescape
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from portal.pagination import PAGE_SIZE
from publications.feeds import FEED_LIMIT
from publications.models import PublicationPage

from .test_publications_helpers import NATIONAL, fetch, group, kind, library_of, make_publication

pytestmark = pytest.mark.django_db

FACETS = ("centre", "group", "kind", "theme", "year")
SANTE_PUBLICATION = "enjeux-de-sante-dans-les-quartiers-prioritaires"
ATOM = "{http://www.w3.org/2005/Atom}"


def get(host, path="/ressources/", **params):
    return Client(HTTP_HOST=host).get(path, params)


def listed(host, **params):
    """Every resource the listing shows, page after page, in order."""
    found, number = [], 1
    while True:
        response = get(host, **params, page=number)
        assert response.status_code == 200
        found += [item.pk for item in response.context["results"]]
        if not response.context["results"].has_next():
            return found
        number += 1


class Row:
    """What the tests know of a publication, read straight from the database."""

    def __init__(self, page):
        self.pk, self.path, self.date = page.pk, page.path, page.publication_date
        self.values = {
            "centre": {c.slug for c in page.authors.all()},
            "group": {page.working_group.slug} if page.working_group_id else set(),
            "kind": {page.kind.slug} if page.kind_id else set(),
            "theme": {tagged.tag.slug for tagged in page.tagged_items.all()},
            "year": {str(page.publication_date.year)},
        }


def rows(centre=None):
    pages = (
        PublicationPage.objects.live()
        .public()
        .select_related("kind", "working_group")
        .prefetch_related("authors", "tagged_items__tag")
    )
    result = [Row(page) for page in pages]
    if centre is not None:
        result = [
            r
            for r in result
            if r.path.startswith(centre.home_page.path) or centre.slug in r.values["centre"]
        ]
    return result


def expected(rows_, sort="recent", **filters):
    matched = [r for r in rows_ if all(v in r.values[name] for name, v in filters.items())]
    if sort == "ancien":
        return [r.pk for r in sorted(matched, key=lambda r: (r.date, -r.pk))]
    return [r.pk for r in sorted(matched, key=lambda r: (r.date, r.pk), reverse=True)]


def host_of(centre):
    return f"{centre.slug}.localhost"


# --- scope ----------------------------------------------------------------------------


def test_the_national_library_lists_the_whole_network_most_recent_first(network):
    shown = listed(NATIONAL)
    assert shown == expected(rows())
    assert len(shown) > PAGE_SIZE
    paths = dict(PublicationPage.objects.values_list("pk", "path"))
    assert PublicationPage.objects.get(slug=SANTE_PUBLICATION).pk in shown
    for centre in network.centres.values():  # every centre's own library is in it
        assert any(paths[pk].startswith(centre.home_page.path) for pk in shown)


def test_a_centre_library_lists_its_own_and_what_it_co_signed(network):
    irev = network.centres["irev"]
    shown = listed(host_of(irev))
    assert shown == expected(rows(irev))
    paths = dict(PublicationPage.objects.values_list("pk", "path"))
    own = [pk for pk in shown if paths[pk].startswith(irev.home_page.path)]
    co_signed = [pk for pk in shown if pk not in own]
    assert len(own) == 3
    # Co-signed: a working group's publication on the national site, and a neighbour's
    # publication in the neighbour's own tree.
    national = [pk for pk in co_signed if paths[pk].startswith(network.national_home.path)]
    assert PublicationPage.objects.get(slug=SANTE_PUBLICATION).pk in national
    assert len(co_signed) > len(national)
    assert len(shown) == len(set(shown))  # a co-signed resource is listed once


def test_a_working_group_publication_co_signed_by_a_centre_appears_in_its_library(network):
    sante = PublicationPage.objects.get(slug=SANTE_PUBLICATION)
    for slug in ("irev", "labo-cites", "oriv"):  # its authors
        assert sante.pk in listed(host_of(network.centres[slug]))
    assert sante.pk not in listed(host_of(network.centres["crpv-guyane"]))


def test_drafts_and_private_resources_are_not_listed(network):
    library = library_of(network.centres["irev"].home_page)
    draft = make_publication(
        library, "Brouillon IREV", publish=False, authors=[network.centres["irev"]]
    )
    private = make_publication(library, "Réservé IREV", authors=[network.centres["irev"]])
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")
    for host in (NATIONAL, "irev.localhost"):
        shown = listed(host)
        assert draft.pk not in shown and private.pk not in shown


# --- filters and their counts -----------------------------------------------------------


def facet_options(response):
    return {facet.name: facet.options for facet in response.context["facets"]}


@pytest.mark.parametrize("host", [NATIONAL, "irev.localhost"])
def test_each_option_counts_the_resources_listed_when_it_is_chosen(network, host):
    centre = None if host == NATIONAL else network.centres["irev"]
    data = rows(centre)
    options = facet_options(get(host))
    assert set(options) == set(FACETS)
    for name in FACETS:
        assert options[name], name
        for option in options[name]:
            response = get(host, **{name: option.value})
            assert response.status_code == 200
            shown = response.context["results"].paginator.count
            assert option.count == shown == len(expected(data, **{name: option.value})), (
                name,
                option.value,
            )
            # The chosen option stays selected in the re-rendered form.
            assert [o.value for o in facet_options(response)[name] if o.selected] == [option.value]


def test_counts_follow_the_other_filters(network):
    """With a year chosen, every other facet counts within that year; the year facet
    itself counts across years (choosing another year must stay possible)."""
    data = rows()
    response = get(NATIONAL, year="2023")
    options = facet_options(response)
    assert response.context["results"].paginator.count == len(expected(data, year="2023"))
    for name in ("centre", "group", "kind", "theme"):
        for option in options[name]:
            assert option.count == len(expected(data, year="2023", **{name: option.value}))
            assert (
                option.count
                == get(NATIONAL, year="2023", **{name: option.value})
                .context["results"]
                .paginator.count
            )
    years = {o.value: o.count for o in options["year"]}
    assert years == {y: len(expected(data, year=y)) for r in data for y in r.values["year"]}


def test_filters_combine(network):
    data = rows()
    params = {"kind": "publication", "year": "2023", "group": "sante"}
    assert listed(NATIONAL, **params) == expected(data, **params)
    assert listed(NATIONAL, **params) == [PublicationPage.objects.get(slug=SANTE_PUBLICATION).pk]


def test_the_centre_filter_finds_what_a_centre_co_signed_in_the_network(network):
    shown = listed(NATIONAL, centre="oriv")
    assert shown == expected(rows(), centre="oriv")
    assert PublicationPage.objects.get(slug=SANTE_PUBLICATION).pk in shown


def test_facet_options_read_in_french_order(network):
    options = facet_options(get(NATIONAL))
    themes = [o.label for o in options["theme"]]
    assert themes.index("éducation") < themes.index("emploi") < themes.index("santé")
    centres = [o.label for o in options["centre"]]
    assert centres.index("Pôle Ressources") < centres.index("Profession Banlieue")
    years = [o.value for o in options["year"]]
    assert years == sorted(years, reverse=True)


# --- sort, pagination, shareable addresses --------------------------------------------


def test_sort_recent_and_oldest_first(network):
    data = rows()
    assert listed(NATIONAL, sort="recent") == listed(NATIONAL) == expected(data)
    assert listed(NATIONAL, sort="ancien") == expected(data, sort="ancien")
    first = get(NATIONAL, sort="ancien").context["results"][0]
    assert first.publication_date == min(r.date for r in data)


def test_pages_of_twenty_with_links_that_keep_the_filters(network):
    library = library_of(network.centres["irev"].home_page)
    for number in range(25):
        make_publication(
            library,
            f"Fiche habitat {number:02d}",
            themes=["habitat"],
            kind=kind("note"),
            publication_date=date(2025, 1, 1 + number),
        )
    first = get(NATIONAL, theme="habitat", kind="note")
    assert first.status_code == 200
    assert len(first.context["results"]) == PAGE_SIZE == 20
    html = first.content.decode()
    assert 'href="?kind=note&amp;theme=habitat&amp;page=2" rel="next"' in html
    assert "Page 1 sur 2" in html and "25 ressources" in html
    second = get(NATIONAL, theme="habitat", kind="note", page=2)
    assert len(second.context["results"]) == 5
    assert 'href="?kind=note&amp;theme=habitat&amp;page=1" rel="prev"' in second.content.decode()
    assert not set(r.pk for r in first.context["results"]) & set(
        r.pk for r in second.context["results"]
    )


def test_the_filter_form_is_a_plain_get_form_and_its_address_can_be_shared(network):
    response = get(NATIONAL, kind="publication", year="2023", sort="ancien")
    html = response.content.decode()
    assert '<form method="get" class="filters"' in html
    for name in (*FACETS, "sort"):
        assert f'name="{name}"' in html
    assert '<option value="publication" selected>' in html
    assert '<option value="2023" selected>' in html
    assert '<option value="ancien" selected>' in html
    assert "Effacer les filtres" in html
    # The same address, opened by someone else, shows the same resources.
    again = Client(HTTP_HOST=NATIONAL).get("/ressources/?kind=publication&year=2023&sort=ancien")
    assert [r.pk for r in again.context["results"]] == [r.pk for r in response.context["results"]]


@pytest.mark.parametrize("page", ["abc", "9999", "0", "-1", "1.5", "9" * 5000])
def test_a_page_that_does_not_exist_is_404(network, page):
    assert get(NATIONAL, page=page).status_code == 404


PAYLOAD = '"><script>alert(1)</script>'
BAD_INPUT = [
    {"centre": "inconnu"},
    {"group": "inconnu"},
    {"kind": "inconnue"},
    {"theme": "inconnu"},
    {"year": "abcd"},
    {"year": "1850"},
    {"year": "2023-01"},
    {"sort": "aleatoire"},
    {"centre": "x" * 10_000},
    {"theme": "é" * 10_000},
    {"kind": PAYLOAD},
    {"group": PAYLOAD},
    {"sort": PAYLOAD},
    {"year": PAYLOAD},
    {"centre": "irev\x00"},
    {"theme": "sant%C3%A9"},
    {"q": PAYLOAD},
    {"centre": ["irev", PAYLOAD]},
]


@pytest.mark.parametrize("params", BAD_INPUT, ids=lambda p: urlencode(p, doseq=True)[:40])
@pytest.mark.parametrize("path", ["/ressources/", "/ressources/rss/", "/ressources/atom/"])
def test_bad_input_is_ignored_never_an_error_never_echoed(network, path, params):
    unfiltered = get(NATIONAL, path)
    response = get(NATIONAL, path, **params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "alert(1)" not in body
    if path == "/ressources/":
        assert (
            response.context["results"].paginator.count
            == unfiltered.context["results"].paginator.count
        )
        assert response.context["query"] == {}
    else:
        assert body == unfiltered.content.decode()


def test_the_old_publications_address_redirects_permanently(network):
    for path in ("/publications", "/publications/"):
        response = Client(HTTP_HOST=NATIONAL).get(path)
        assert response.status_code == 301
        assert response["Location"] == "/ressources/?kind=publication"
    response = Client(HTTP_HOST=NATIONAL).get("/publications", follow=True)
    assert response.redirect_chain == [("/ressources/?kind=publication", 301)]
    assert [r.pk for r in response.context["results"]] == expected(rows(), kind="publication")[:20]
    # The centres' sites keep their own addresses.
    assert Client(HTTP_HOST="irev.localhost").get("/publications/").status_code == 404


# --- queries ----------------------------------------------------------------------------


def add_thirty_publications(network):
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    kinds = [kind("note"), kind("synthese"), kind("publication")]
    for number in range(30):
        parent = group("sante") if number % 2 else library_of(irev.home_page)
        make_publication(
            parent,
            f"Ressource en série {number}",
            authors=[irev, oriv],
            themes=["série", f"sujet-{number}"],
            kind=kinds[number % 3],
            publication_date=date(2025, 1 + number % 12, 1),
        )


def count_queries(url):
    fetch(url)  # warm the per-process caches (sites, settings)
    counts = []
    # The fewer of two warm requests: a cache that happens to expire between them (it
    # made this test fail now and then in a full run) costs one request a query, while a
    # query per card would show in both.
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = fetch(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return min(counts)


QUERIED = {
    "national library": "http://localhost/ressources/",
    "filtered library": "http://localhost/ressources/?centre=irev&sort=ancien",
    "centre library": "http://irev.localhost/ressources/",
    "publication": f"http://localhost/groupes-de-travail/sante/{SANTE_PUBLICATION}/",
    "working group": "http://localhost/groupes-de-travail/sante/",
    "rss": "http://localhost/ressources/rss/?centre=irev",
}


def test_queries_do_not_grow_with_the_number_of_resources(network):
    before = {name: count_queries(url) for name, url in QUERIED.items()}
    small = {
        name: len(fetch(url).context["results"])
        for name, url in QUERIED.items()
        if "library" in name
    }
    add_thirty_publications(network)
    after = {name: count_queries(url) for name, url in QUERIED.items()}
    print(
        "\nqueries per page (before / after 30 more publications):",
        {name: (before[name], after[name]) for name in QUERIED},
    )
    assert after == before
    # The cards grew (so an N+1 would have shown): the filtered and centre listings.
    assert (
        small["filtered library"]
        < PAGE_SIZE
        == len(fetch(QUERIED["filtered library"]).context["results"])
    )
    assert len(fetch(QUERIED["working group"]).context["publications"]) == 16


# --- feeds ------------------------------------------------------------------------------


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def atom_entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return feed, feed.findall(f"{ATOM}entry")


def full_urls(pks):
    pages = {p.pk: p for p in PublicationPage.objects.filter(pk__in=pks)}
    return [pages[pk].full_url for pk in pks]


def test_the_rss_feed_lists_the_library_newest_first(network):
    channel, items = rss_items(get(NATIONAL, "/ressources/rss/"))
    wanted = expected(rows())[:FEED_LIMIT]
    assert [item.findtext("link") for item in items] == full_urls(wanted)
    assert channel.findtext("title") == "Ressources — Réseau national des CRPV"
    first = PublicationPage.objects.get(pk=wanted[0])
    assert items[0].findtext("title") == first.title
    assert parsedate_to_datetime(items[0].findtext("pubDate")).date() == first.publication_date


def test_the_atom_feed_lists_the_same_resources(network):
    feed, entries = atom_entries(get(NATIONAL, "/ressources/atom/"))
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links == full_urls(expected(rows())[:FEED_LIMIT])
    assert feed.findtext(f"{ATOM}title") == "Ressources — Réseau national des CRPV"


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "publication"},
        {"centre": "oriv", "year": "2023"},
        {"group": "sante"},
        {"theme": "santé"},
        # A feed is newest first whatever the listing's order.
        {"kind": "publication", "sort": "ancien"},
    ],
)
def test_feeds_honour_the_filters(network, params):
    filters = {name: value for name, value in params.items() if name != "sort"}
    wanted = full_urls(expected(rows(), **filters)[:FEED_LIMIT])
    assert wanted
    _, items = rss_items(get(NATIONAL, "/ressources/rss/", **params))
    assert [item.findtext("link") for item in items] == wanted
    _, entries = atom_entries(get(NATIONAL, "/ressources/atom/", **params))
    assert [entry.find(f"{ATOM}link").get("href") for entry in entries] == wanted


def test_a_centre_feed_lists_its_co_signed_network_publications(network):
    _, items = rss_items(get("irev.localhost", "/ressources/rss/"))
    links = [item.findtext("link") for item in items]
    assert links == full_urls(expected(rows(network.centres["irev"])))
    assert f"http://localhost/groupes-de-travail/sante/{SANTE_PUBLICATION}/" in links


def test_the_listing_advertises_its_feeds_with_its_filters(network):
    html = get(NATIONAL, kind="publication", year="2023").content.decode()
    links = dict(
        re.findall(
            r'<link rel="alternate" type="(application/(?:rss|atom)\+xml)"[^>]*href="([^"]+)"', html
        )
    )
    assert links == {
        "application/rss+xml": "/ressources/rss/?kind=publication&amp;year=2023",
        "application/atom+xml": "/ressources/atom/?kind=publication&amp;year=2023",
    }
    _, items = rss_items(fetch(unescape(links["application/rss+xml"])))
    assert [item.findtext("link") for item in items] == full_urls(
        expected(rows(), kind="publication", year="2023")
    )
    # Unfiltered, the feeds are the library's own.
    html = get("irev.localhost").content.decode()
    assert 'href="/ressources/rss/"' in html and 'href="/ressources/atom/"' in html
