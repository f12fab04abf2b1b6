"""The open API's other endpoints, with the events' and publications' conventions:
centres, news, offers, working groups and collective contributions of every site, the
same filters (centre, theme where there are themes, date range), read-only, cacheable,
400 with a reason, queries that do not grow with the page size."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from centres.models import Centre
from offers.models import OfferIndexPage, OfferKind, OfferPage
from publications.models import CollectiveContributionPage, NewsPage, WorkingGroupPage

from .factories import OfferPageFactory
from .test_interop_api import all_items, get

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "centres": lambda: Centre.objects.all(),
    "news": lambda: NewsPage.objects.live().public(),
    "offers": lambda: OfferPage.objects.live().public(),
    "groups": lambda: WorkingGroupPage.objects.live().public(),
    "contributions": lambda: CollectiveContributionPage.objects.live().public(),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_each_endpoint_lists_every_site_with_cache_headers(network, name):
    items = all_items(f"/api/v2/{name}/")
    assert len(items) == ENDPOINTS[name]().count() > 0
    response = get(f"/api/v2/{name}/", host="irev.localhost")
    assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == len(items)  # every site, from any host
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    detail = get(f"/api/v2/{name}/{items[0]['id']}/")
    assert detail.status_code == 200 and detail.json()["id"] == items[0]["id"]
    assert Client(HTTP_HOST="localhost").post(f"/api/v2/{name}/").status_code == 405


@pytest.mark.parametrize("name", ENDPOINTS)
def test_listing_queries_do_not_grow_with_the_page_size(network, name):
    def queries(limit):
        with CaptureQueriesContext(connection) as captured:
            assert get(f"/api/v2/{name}/", limit=limit, fields="*").status_code == 200
        return len(captured)

    queries(1)  # content types and site root paths, cached once per process
    assert queries(20) == queries(2)


def test_centres_with_their_sites(network):
    irev = next(c for c in all_items("/api/v2/centres/") if c["slug"] == "irev")
    assert irev["name"] == network.centres["irev"].name
    assert irev["site_url"] == "http://irev.localhost/"
    detail = get(f"/api/v2/centres/{irev['id']}/").json()
    assert detail["territory"] == network.centres["irev"].territory


def test_offers_by_centre_kind_closing_dates_and_open(network):
    listing = OfferIndexPage.objects.child_of(network.centres["irev"].home_page).get()
    today = timezone.localdate()
    call = OfferPageFactory(parent=listing, kind=OfferKind.CALL, closing_date=today)
    closed = OfferPageFactory(parent=listing, closing_date=today - timedelta(days=3))
    irev = all_items("/api/v2/offers/", centre="irev", fields="*")
    assert {item["id"] for item in irev} == set(
        OfferPage.objects.live().descendant_of(listing).values_list("pk", flat=True)
    )
    assert all(item["centre"]["slug"] == "irev" for item in irev)
    calls = all_items("/api/v2/offers/", kind="appel-a-projets")
    assert call.pk in {item["id"] for item in calls}
    assert all(item["kind"] == "appel-a-projets" for item in calls)
    still_open = {item["id"] for item in all_items("/api/v2/offers/", open="1")}
    assert call.pk in still_open and closed.pk not in still_open
    before = all_items("/api/v2/offers/", date_to=(today - timedelta(days=1)).isoformat())
    assert closed.pk in {item["id"] for item in before} and call.pk not in {
        item["id"] for item in before
    }
    national = [item for item in all_items("/api/v2/offers/", fields="centre")]
    assert any(item["centre"] is None for item in national)  # the portal's own offers
    assert get("/api/v2/offers/", open="oui").status_code == 400


def test_news_by_centre_theme_and_dates(network):
    irev = all_items("/api/v2/news/", centre="irev")
    home = network.centres["irev"].home_page
    assert {item["id"] for item in irev} == set(
        NewsPage.objects.live().descendant_of(home).values_list("pk", flat=True)
    )
    recent = all_items("/api/v2/news/", date_from=timezone.localdate().isoformat())
    assert all(item["date"] >= timezone.localdate().isoformat() for item in recent)


def test_groups_and_contributions_by_centre(network):
    groups = all_items("/api/v2/groups/", centre="irev", fields="*")
    assert groups and all(
        "irev" in {c["slug"] for c in g["pilots"] + g["co_pilots"] + g["members"]} for g in groups
    )
    contributions = all_items("/api/v2/contributions/", centre="irev", fields="*")
    assert all("irev" in {c["slug"] for c in item["centres"]} for item in contributions)
    in_2023 = all_items("/api/v2/contributions/", date_from="2023-01-01", date_to="2023-12-31")
    assert {item["id"] for item in in_2023} == set(
        CollectiveContributionPage.objects.live().filter(year=2023).values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v2/offers/", {"theme": "santé"}),
        ("/api/v2/groups/", {"theme": "santé"}),
        ("/api/v2/news/", {"date_from": "hier"}),
        ("/api/v2/centres/", {"limit": "x"}),
        ("/api/v2/centres/", {"nope": "1"}),
    ],
)
def test_bad_input_is_a_400_with_a_reason(network, path, params):
    response = get(path, **params)
    assert response.status_code == 400
    assert response.json()["message"]
    assert "no-store" in response["Cache-Control"]
