"""The search page `/recherche/` of every site: scope (centre first, one click to the
network), French matching, facets with counts, sort, pagination, promoted results,
autocomplete, bad input, index freshness, and queries that do not grow with the data."""

import re
from datetime import date, timedelta
from html import unescape

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from search.models import QueryDay, SearchPromotion

from .conftest import host_of
from .factories import NewsPageFactory
from .test_agenda_helpers import agenda_of, make_event
from .test_publications_helpers import group, library_of, make_publication

pytestmark = pytest.mark.django_db


def get(path, host="localhost", **params):
    return Client(HTTP_HOST=host).get(path, params)


def titles(response) -> list[str]:
    html = response.content.decode()
    block = html.split('class="search-results" start=', 1)[-1] if "start=" in html else ""
    return [
        unescape(re.sub(r"<[^>]+>", "", t))
        for t in re.findall(
            r'<li class="search-result">.*?<h3><a href="[^"]*">(.*?)</a>', block, re.S
        )
    ]


def complete_titles(response) -> list[str]:
    """The titles of the results holding every word (first page): the closest results
    that follow fewer than `matching.FEW` of them left out."""
    return titles(response)[: response.context["found"].complete]


def options(response, name) -> dict[str, str]:
    """The facet's options: value → visible text (with its count)."""
    html = response.content.decode()
    select = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.S)
    return (
        {
            v: unescape(t)
            for v, t in re.findall(
                r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)
            )
        }
        if select
        else {}
    )


@pytest.fixture
def corpus(network):
    """A few pages of two centres with a word of their own ("ripisylve"), so that the
    seeded demo content never interferes."""
    irev, orm = network.centres["irev"], network.centres["oriv"]
    pubs = [
        make_publication(
            library_of(irev.home_page),
            "Ripisylve et discriminations au logement",
            authors=[irev],
            themes=["Habitat"],
            publication_date=date(2021, 3, 1),
            summary="Une étude sur les discriminations dans l'accès au logement.",
        ),
        make_publication(
            library_of(orm.home_page),
            "Égalité des ripisylves en santé",
            authors=[orm],
            themes=["Santé"],
            publication_date=date(2024, 5, 1),
            summary="La santé des femmes et l'égalité d'accès aux soins.",
        ),
    ]
    upcoming = make_event(
        agenda_of(orm.home_page),
        "Webinaire ripisylve et jeunesse",
        organisers=[orm],
        themes=["Jeunesse"],
        start_date=timezone.localdate() + timedelta(days=30),
    )
    past = make_event(
        agenda_of(irev.home_page),
        "Journée ripisylve passée",
        organisers=[irev, orm],
        start_date=date(2020, 2, 3),
    )
    return {"pubs": pubs, "upcoming": upcoming, "past": past, "irev": irev, "orm": orm}


def test_portal_searches_the_whole_network_with_type_centre_date_and_marked_excerpt(corpus):
    response = get("/recherche/", q="ripisylve")
    assert response.status_code == 200
    assert sorted(titles(response)) == sorted(
        [
            "Ripisylve et discriminations au logement",
            "Égalité des ripisylves en santé",
            "Webinaire ripisylve et jeunesse",
            "Journée ripisylve passée",
        ]
    )
    html = response.content.decode()
    assert "<mark>Ripisylve</mark> et discriminations" in html
    assert '<time datetime="2021-03-01">1er mars 2021</time>' in html
    assert "Ressource" in html and "Événement" in html
    assert re.search(r'class="meta">IREV, ORIV</p>|class="meta">ORIV, IREV</p>', html)


def test_french_matching_accents_plurals_and_case(corpus):
    # "egalite" finds "Égalité", "discrimination" finds "discriminations", "santé"
    # finds "santé" and "sante" alike, "RIPISYLVE" is "ripisylve".
    assert complete_titles(get("/recherche/", q="egalite ripisylve")) == [
        "Égalité des ripisylves en santé"
    ]
    assert complete_titles(get("/recherche/", q="discrimination ripisylve")) == [
        "Ripisylve et discriminations au logement"
    ]
    for q in ("santé ripisylve", "sante RIPISYLVE"):
        assert complete_titles(get("/recherche/", q=q)) == ["Égalité des ripisylves en santé"]


def test_centre_site_searches_its_centre_first_and_widens_in_one_click(corpus):
    host = host_of(corpus["irev"])
    own = get("/recherche/", host=host, q="ripisylve")
    # IREV's own publication and the event it co-organises; not ORIV's own work.
    assert sorted(titles(own)) == [
        "Journée ripisylve passée",
        "Ripisylve et discriminations au logement",
    ]
    html = own.content.decode()
    widen = re.search(r'<a href="([^"]+)">Étendre la recherche à tout le réseau</a>', html)
    assert widen, html
    network_wide = Client(HTTP_HOST=host).get("/recherche/" + unescape(widen.group(1)))
    assert len(titles(network_wide)) == 4
    assert "Limiter à IREV" in network_wide.content.decode()


def test_facets_count_and_narrow_and_unknown_values_are_ignored(corpus):
    response = get("/recherche/", q="ripisylve")
    assert options(response, "type")["publication"] == "Ressource (2)"
    assert options(response, "type")["evenement"] == "Événement (2)"
    assert options(response, "centre")["oriv"] == "ORIV (3)"
    assert options(response, "centre")["irev"] == "IREV (2)"
    assert options(response, "upcoming")["1"] == "Événements à venir uniquement (1)"
    assert options(response, "year")["2024"] == "2024 (1)"
    assert titles(get("/recherche/", q="ripisylve", upcoming="1")) == [
        "Webinaire ripisylve et jeunesse"
    ]
    assert titles(get("/recherche/", q="ripisylve", centre="irev", type="publication")) == [
        "Ripisylve et discriminations au logement"
    ]
    assert titles(get("/recherche/", q="ripisylve", year="2020")) == ["Journée ripisylve passée"]
    theme = next(v for v, t in options(response, "theme").items() if t.startswith("Santé"))
    assert titles(get("/recherche/", q="ripisylve", theme=theme)) == [
        "Égalité des ripisylves en santé"
    ]
    # A facet value naming nothing is dropped: the same four results.
    unknown = get(
        "/recherche/",
        q="ripisylve",
        centre="nulle-part",
        type="<b>",
        year="3000",
        group="inconnu",
        theme="x" * 500,
        upcoming="oui",
        sort="hasard",
    )
    assert unknown.status_code == 200 and len(titles(unknown)) == 4


def test_working_group_facet_and_its_publications(corpus, network):
    santé = group("sante")
    make_publication(santé, "Ripisylve commune du groupe", authors=[corpus["orm"]])
    response = get("/recherche/", q="ripisylve")
    assert options(response, "group")["sante"].endswith("(1)")
    assert titles(get("/recherche/", q="ripisylve", group="sante")) == [
        "Ripisylve commune du groupe"
    ]


def test_sort_by_date_and_pagination_with_shareable_urls(corpus):
    by_date = titles(get("/recherche/", q="ripisylve", sort="date"))
    assert by_date == [
        "Webinaire ripisylve et jeunesse",
        "Égalité des ripisylves en santé",
        "Ripisylve et discriminations au logement",
        "Journée ripisylve passée",
    ]
    library = library_of(corpus["irev"].home_page)
    for n in range(21):
        make_publication(library, f"Ripisylve numéro {n}", slug=f"ripisylve-{n}")
    first = get("/recherche/", q="ripisylve", sort="date")
    html = first.content.decode()
    assert "Page 1 sur 2" in html
    following = re.search(r'<a href="([^"]+)" rel="next">', html).group(1)
    assert "q=ripisylve" in unescape(following) and "sort=date" in unescape(following)
    second = Client(HTTP_HOST="localhost").get("/recherche/" + unescape(following))
    assert len(titles(second)) == 25 - 20
    assert get("/recherche/", q="ripisylve", page="99").status_code == 404
    assert get("/recherche/", q="ripisylve", page="abc").status_code == 404


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "x" * 10_000,
        "!!! ??? ... ;;; ---",
        "' OR 1=1; DROP TABLE wagtailcore_page; --",
        '"unbalanced',
        "NEAR(a b)",
        "a* AND (b OR",
        "\x00ripisylve",
        "ripisylve:title^5 ~2",
    ],
)
def test_bad_input_answers_a_normal_page(corpus, q):
    response = get("/recherche/", q=q)
    assert response.status_code == 200
    assert get("/recherche/suggestions/", q=q).status_code == 200


def test_html_in_the_query_is_escaped_everywhere(corpus):
    response = get("/recherche/", q='<script>alert("x")</script> ripisylve')
    html = response.content.decode()
    assert "<script>alert" not in html
    assert response.status_code == 200
    title = get("/recherche/", q="<img src=x onerror=alert(1)>").content.decode()
    assert "<img src=x" not in title and "onerror=alert(1)&gt;" not in title.split("<title>")[0]


def test_promoted_results_are_per_site(corpus, network):
    irev_site = corpus["irev"].site
    pinned = corpus["pubs"][1]  # ORIV's publication, pinned on IREV's site
    SearchPromotion.objects.create(
        site=irev_site, query="Ripisylve", page=pinned, description="Le dossier à lire d'abord."
    )
    on_irev = get("/recherche/", host=host_of(corpus["irev"]), q="RIPISYLVE").content.decode()
    assert "Mis en avant" in on_irev and "Le dossier à lire d&#x27;abord." in on_irev
    assert on_irev.index("Le dossier à lire") < on_irev.index('class="search-result"')
    on_portal = get("/recherche/", q="ripisylve").content.decode()
    assert "Le dossier à lire" not in on_portal


def test_queries_are_recorded_per_site_without_visitor_data(corpus, network):
    get("/recherche/", q="Ripisylve")
    get("/recherche/", q="ripisylve", page="1")  # paging on: not a new search
    get("/recherche/", host=host_of(corpus["irev"]), q="introuvablissime")
    national = network.national_site
    row = QueryDay.objects.get(site=national, query="ripisylve")
    assert (row.hits, row.empty_hits, row.date) == (1, 0, timezone.localdate())
    empty = QueryDay.objects.get(query="introuvablissime")
    assert (empty.site, empty.hits, empty.empty_hits) == (corpus["irev"].site, 1, 1)
    assert {f.name for f in QueryDay._meta.fields} == {
        "id",
        "site",
        "date",
        "query",
        "hits",
        "empty_hits",
    }


def test_autocomplete_suggests_titles_in_scope(corpus):
    data = get("/recherche/suggestions/", q="ripis").json()
    assert "Webinaire ripisylve et jeunesse" in data["suggestions"]
    on_irev = get("/recherche/suggestions/", host=host_of(corpus["irev"]), q="ripis").json()
    assert "Webinaire ripisylve et jeunesse" not in on_irev["suggestions"]
    assert "Ripisylve et discriminations au logement" in on_irev["suggestions"]
    assert get("/recherche/suggestions/", q="r").json()["suggestions"] == []
    # Accents aside: "egal" completes "Égalité".
    assert (
        "Égalité des ripisylves en santé"
        in get("/recherche/suggestions/", q="egalite ripis").json()["suggestions"]
    )


def test_every_page_has_the_search_box(network):
    html = get("/").content.decode()
    assert re.search(r'<form role="search"[^>]*action="/recherche/"', html)
    assert '<label for="search-box-q">Rechercher</label>' in html


def test_publishing_unpublishing_and_deleting_update_the_index_at_once(corpus):
    event = corpus["upcoming"]
    assert "Webinaire ripisylve et jeunesse" in titles(get("/recherche/", q="jeunesse ripisylve"))
    event.title = "Webinaire ripisylve et citoyenneté"
    event.save_revision().publish()
    assert complete_titles(get("/recherche/", q="citoyenneté ripisylve")) == [
        "Webinaire ripisylve et citoyenneté"
    ]
    event.unpublish()
    # The other "ripisylve" pages may be listed as partial matches, never this one.
    assert "Webinaire ripisylve et citoyenneté" not in titles(
        get("/recherche/", q="citoyenneté ripisylve")
    )
    pub = corpus["pubs"][0]
    pub.delete()
    assert pub.title not in titles(get("/recherche/", q="discriminations ripisylve"))
    from wagtail.search.models import IndexEntry

    assert not IndexEntry.objects.filter(object_id=str(pub.pk)).exists()


def test_a_theme_added_at_publication_is_searchable_at_once(corpus):
    pub = corpus["pubs"][0]
    pub.tags.add("Ségrégation scolaire")
    pub.save_revision().publish()  # the tags are written after Wagtail's first index write
    assert complete_titles(get("/recherche/", q="ségrégation scolaire")) == [pub.title]


def test_news_themes_count_in_the_theme_facet_and_narrow_to_the_news(corpus):
    from publications.models import NewsIndexPage

    NewsPageFactory(
        parent=NewsIndexPage.objects.child_of(corpus["irev"].home_page).get(),
        title="Ripisylve : retour sur la journée",
        date=date(2024, 6, 1),
        summary="",
        tags=["Habitat"],
    )
    response = get("/recherche/", q="ripisylve")
    habitat = next(v for v, t in options(response, "theme").items() if t.startswith("Habitat"))
    assert options(response, "theme")[habitat].endswith("(2)")  # a publication and the news
    assert sorted(titles(get("/recherche/", q="ripisylve", theme=habitat))) == sorted(
        ["Ripisylve et discriminations au logement", "Ripisylve : retour sur la journée"]
    )


def test_rebuild_command_reindexes_with_a_progress_bar(corpus, capsys):
    from io import StringIO

    from wagtail.search.models import IndexEntry

    IndexEntry.objects.all().delete()
    assert titles(get("/recherche/", q="ripisylve")) == []
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert re.search(r"\[#{30}\] \d+/\d+", out.getvalue())
    assert len(titles(get("/recherche/", q="ripisylve"))) == 4


def test_queries_per_request_do_not_grow_with_matches(corpus):
    def count(**params):
        get("/recherche/", **params)  # warm caches (content types, site)
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert get("/recherche/", **params).status_code == 200
        return len(ctx.captured_queries)

    small = count(q="ripisylve")
    library = library_of(corpus["orm"].home_page)
    for n in range(12):
        make_publication(
            library,
            f"Ripisylve bis {n}",
            slug=f"ripisylve-bis-{n}",
            authors=[corpus["orm"], corpus["irev"]],
            themes=[f"Thème {n}"],
        )
    assert count(q="ripisylve") == small
