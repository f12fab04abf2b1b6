"""Public input that used to answer a server error (issue #17, "Server errors on public
input"), each answered now with a 4xx and its reason or a sensible 200, on SQLite and
PostgreSQL; and beacons that used to be counted for any text under a routable page.
The generated counterpart of these cases is tests/test_generated_input.py."""

from django.test import Client
from django.urls import reverse

import pytest

from agenda.models import AgendaPage
from search.models import SearchPromotion
from stats.models import Event

from .test_stats_fastpath import call, event_body, wsgi  # noqa: F401  (the lean path's fixture)

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def get(path, host="localhost", **extra):
    return Client(HTTP_HOST=host).get(path, **extra)


# --- the agenda and its feeds -----------------------------------------------------


@pytest.mark.parametrize("month", ["0000-01", "9999-12", "0001-01", "9999-01"])
@pytest.mark.parametrize("feed", ["", "ical/", "rss/", "atom/"])
@pytest.mark.parametrize("host", ["localhost", "irev.localhost"])
def test_a_month_out_of_the_calendar_is_ignored_by_the_agenda_and_its_feeds(
    network, month, feed, host
):
    response = get(f"/agenda/{feed}?month={month}", host=host)
    unfiltered = get(f"/agenda/{feed}", host=host)
    assert response.status_code == 200
    if feed == "":  # the listing as if the month were not there: no month selected
        assert f'value="{month}" selected' not in response.content.decode()
    else:
        assert response["Content-Type"] == unfiltered["Content-Type"]


# --- OAI-PMH ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bounds",
    [
        {"until": "9999-12-31"},
        {"from": "0001-01-01"},
        {"from": "0001-01-01", "until": "9999-12-31"},
        {"until": "9999-12-31T23:59:59Z"},
    ],
)
@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_oai_dates_at_the_ends_of_the_calendar_list_everything(network, bounds, verb):
    response = get("/oai/", data={"verb": verb, "metadataPrefix": "oai_dc", **bounds})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<error" not in body and "<header" in body


# --- the open API ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "centre=a%00b",
        "theme=a%00b",
        "search=a%00b",
        "locale=a%00b",
        "title=a%00b",
        "slug=%00",
        "search_operator=and%00",
        "offset=99999999999999999999",
        "child_of=99999999999999999999",
        "id=99999999999999999999",
        "offset=abc",
        "search=%22",
        "search=*",
        "search=%28%29%3A%26%7C%21",
        "start_date=0000-00-00",
        "city=" + "x" * 5000,
    ],
)
@pytest.mark.parametrize("endpoint", ["events", "publications"])
def test_api_input_that_no_backend_can_take_is_a_400_with_its_reason(network, endpoint, query):
    response = get(f"/api/v2/{endpoint}/?{query}")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["message"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("query", ["id=", "id=abc", "id=99999999999999999999", "html_path=%00"])
@pytest.mark.parametrize("endpoint", ["events", "publications"])
def test_the_api_find_view_refuses_what_is_no_id_or_path(network, endpoint, query):
    response = get(f"/api/v2/{endpoint}/find/?{query}")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["message"]


@pytest.mark.parametrize(
    "query",
    ["date_from=0001-01-01", "date_to=9999-12-31", "date_from=0001-01-01&date_to=9999-12-31"],
)
@pytest.mark.parametrize("endpoint", ["events", "publications"])
def test_api_dates_at_the_ends_of_the_calendar_mean_no_bound(network, endpoint, query):
    everything = get(f"/api/v2/{endpoint}/").json()["meta"]["total_count"]
    response = get(f"/api/v2/{endpoint}/?{query}")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == everything > 0


@pytest.mark.parametrize("endpoint", ["events", "publications"])
def test_an_api_search_of_200_words_is_answered_on_its_first_words(network, endpoint):
    words = " ".join(f"mot{index}" for index in range(200))
    response = get(f"/api/v2/{endpoint}/", data={"search": words})
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 0
    operators = " ".join(["emploi", "OR", "AND", "NOT"] * 60)
    assert get(f"/api/v2/{endpoint}/", data={"search": operators}).status_code == 200


def test_an_api_search_with_query_syntax_searches_its_words(network):
    plain = get("/api/v2/publications/", data={"search": "emploi"})
    syntax = get("/api/v2/publications/", data={"search": '"emploi" * | (emploi)'})
    assert plain.status_code == syntax.status_code == 200
    assert syntax.json()["meta"]["total_count"] == plain.json()["meta"]["total_count"] > 0


# --- the beacon -----------------------------------------------------------------------


SURROGATE_URLS = [
    '{"url": "http://localhost/\\ud800"}',
    '{"url": "http://localhost/le-reseau/\\udfff", "page": PAGE}',
    '{"url": "http://localhost/agenda/\\ud800", "page": AGENDA}',
]


@pytest.mark.parametrize("body", SURROGATE_URLS)
def test_a_beacon_with_a_lone_surrogate_is_a_400_on_both_paths(network, wsgi, body):  # noqa: F811
    agenda = AgendaPage.objects.child_of(network.national_home).get()
    page = network.national_home.get_children().get(slug="le-reseau")
    body = body.replace("AGENDA", str(agenda.pk)).replace("PAGE", str(page.pk)).encode()
    lean = call(wsgi, "localhost", body)
    assert (lean["status"], lean["body"].decode()) == (400, "URL invalide.")
    django = Client(HTTP_HOST="localhost", HTTP_USER_AGENT=BROWSER).post(
        "/stats/event", body, content_type="text/plain"
    )
    assert (django.status_code, django.content.decode()) == (400, "URL invalide.")
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "rest, counted",
    [
        ("", True),
        ("rss/", True),
        ("ical/", True),
        ("n-importe-quoi/", False),
        ("%ED%A0%80", False),
        ("rss", False),
        ("rss//", False),
        ("rss/plus/loin/", False),
    ],
)
def test_a_beacon_under_a_routable_page_counts_only_for_its_routes(
    network,
    wsgi,  # noqa: F811
    rest,
    counted,
):
    agenda = AgendaPage.objects.child_of(network.national_home).get()
    answered = call(wsgi, "localhost", event_body("localhost", f"/agenda/{rest}", agenda.pk))
    if counted:
        assert answered["status"] == 204
        assert Event.objects.get().path == f"/agenda/{rest}"
    else:
        assert (answered["status"], answered["body"].decode()) == (
            404,
            "Page inconnue ou non publiée.",
        )
        assert not Event.objects.exists()


def test_one_address_counts_at_most_the_agent_cap_of_new_visitors_a_day(
    network,
    wsgi,  # noqa: F811
    settings,
):
    settings.STATS_AGENTS_PER_ADDRESS = 3
    body = event_body("localhost", "/", network.national_home.pk, first_visit=True)
    for number in range(10):
        agent = f"{BROWSER} build/{number}"
        assert call(wsgi, "localhost", body, HTTP_USER_AGENT=agent)["status"] == 204
    # Every beacon is a page view; the first three agents are three visitors, the seven
    # others one more, never a new one.
    assert Event.objects.count() == 10
    assert Event.objects.values("visitor").distinct().count() == 4
    assert Event.objects.filter(first_visit=True).count() == 3
    # The same agent again keeps its place; another address has its own cap.
    call(wsgi, "localhost", body, HTTP_USER_AGENT=f"{BROWSER} build/1")
    call(wsgi, "localhost", body, HTTP_USER_AGENT=f"{BROWSER} build/9", REMOTE_ADDR="192.0.2.2")
    assert Event.objects.values("visitor").distinct().count() == 5
    assert Event.objects.filter(first_visit=True).count() == 5


# --- the admin: search promotions ------------------------------------------------------


@pytest.mark.parametrize("query", ["Logement Social", "LOGEMENT  social", "lôgement sôcial"])
def test_a_promotion_differing_only_by_case_or_accents_is_a_form_error(network, query):
    site = network.national_site
    SearchPromotion.objects.create(site=site, query="logement social", page=site.root_page)
    client = network.client_for("coordination")
    response = client.post(
        reverse("wagtailsnippets_search_searchpromotion:add"),
        {"site": site.pk, "query": query, "page": site.root_page_id, "sort_order": 0},
    )
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()
    assert SearchPromotion.objects.filter(site=site).count() == 1
