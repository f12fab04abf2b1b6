"""The open read API at /api/v2/: events and publications of every site, filters by
centre, theme and date range, read-only, rate-limited, cacheable; and every example
of docs/interop.md answered as documented."""

import re
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from agenda.models import EventPage
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[1] / "docs" / "interop.md"


def get(path, host="localhost", **params):
    return Client(HTTP_HOST=host).get(path, params)


def all_items(path, **params):
    items, offset = [], 0
    while True:
        response = get(path, **params, offset=offset, limit=20)
        assert response.status_code == 200, response.content
        batch = response.json()["items"]
        items += batch
        if len(batch) < 20:
            return items
        offset += 20


def test_events_of_every_site_with_centres_themes_dates(network):
    items = all_items("/api/v2/events/")
    assert len(items) == EventPage.objects.live().public().count()
    # The same from a centre's host: the API is the network's, not the site's.
    assert len(all_items("/api/v2/events/", host="irev.localhost")) == len(items)
    event = next(item for item in items if item["themes"])
    page = EventPage.objects.get(pk=event["id"])
    assert event["title"] == page.title
    # The organisers that agreed to be named (a pending co-organiser is not).
    assert {c["slug"] for c in event["centres"]} == {c.slug for c in page.named_organisers}
    assert {c["slug"] for c in event["centres"]} <= set(
        page.organisers.values_list("slug", flat=True)
    )
    assert set(event["themes"]) == set(page.tags.names())
    assert event["starts_at"].startswith(page.starts_at.astimezone().strftime("%Y-%m-%d")[:4])
    assert event["meta"]["html_url"] == page.get_full_url()
    starts = [item["starts_at"] for item in items]
    assert starts == sorted(starts)


def test_publication_detail_with_documents(network):
    page = PublicationPage.objects.live().filter(working_group__isnull=False).first()
    data = get(f"/api/v2/publications/{page.pk}/").json()
    assert data["publication_date"] == page.publication_date.isoformat()
    assert data["working_group"] == page.working_group.slug
    assert data["kind"] == page.kind.name
    assert {c["slug"] for c in data["centres"]} == set(page.authors.values_list("slug", flat=True))
    assert data["documents"] == [
        {
            "title": item.label or item.document.title,
            "url": f"http://localhost{item.document.url}",
            "file_extension": item.document.file_extension,
        }
        for item in page.documents.all()
    ]


def test_filters_by_centre_theme_and_dates(network):
    irev = {i["id"] for i in all_items("/api/v2/publications/", centre="irev")}
    assert (
        irev
        == set(
            PublicationPage.objects.live().filter(authors__slug="irev").values_list("pk", flat=True)
        )
        != set()
    )
    page = PublicationPage.objects.live().filter(tagged_items__isnull=False).first()
    theme = page.tags.first()
    themed = {i["id"] for i in all_items("/api/v2/publications/", theme=theme.slug)}
    assert themed == set(
        PublicationPage.objects.live().filter(tags__slug=theme.slug).values_list("pk", flat=True)
    )
    in_2023 = all_items("/api/v2/publications/", date_from="2023-01-01", date_to="2023-12-31")
    assert (
        {i["id"] for i in in_2023}
        == set(
            PublicationPage.objects.live()
            .filter(publication_date__year=2023)
            .values_list("pk", flat=True)
        )
        != set()
    )
    today = timezone.localdate()
    upcoming = all_items("/api/v2/events/", date_from=today.isoformat())
    assert upcoming and all(i["ends_at"] >= today.isoformat() for i in upcoming)
    assert len(upcoming) < EventPage.objects.live().count()
    window = all_items(
        "/api/v2/events/",
        date_from=today.isoformat(),
        date_to=(today + timedelta(days=30)).isoformat(),
        centre="irev",
    )
    assert {i["id"] for i in window} <= {i["id"] for i in upcoming}
    assert all("irev" in {c["slug"] for c in i["centres"]} for i in window)


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2024-02-30"},
        {"date_to": "demain"},
        {"date_from": "2024-02-01", "date_to": "2024-01-01"},
        {"colour": "blue"},
    ],
)
def test_bad_input_is_a_400_with_a_reason(network, params):
    response = get("/api/v2/events/", **params)
    assert response.status_code == 400
    assert response.json()["message"]
    assert "no-store" in response["Cache-Control"]


def test_read_only(network):
    client = Client(HTTP_HOST="localhost")
    page = PublicationPage.objects.live().first()
    assert client.post("/api/v2/publications/", {"title": "x"}).status_code == 405
    assert client.delete(f"/api/v2/publications/{page.pk}/").status_code == 405
    assert client.put(f"/api/v2/publications/{page.pk}/", {}).status_code == 405


def test_drafts_and_private_pages_stay_out(network):
    page = PublicationPage.objects.live().first()
    page.unpublish()
    assert get(f"/api/v2/publications/{page.pk}/").status_code == 404
    assert page.pk not in {i["id"] for i in all_items("/api/v2/publications/")}


def test_cacheable(network):
    response = get("/api/v2/events/")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]


def test_rate_limited_per_client(network, settings):
    settings.INTEROP_API_RATE = "3/min"
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="198.51.100.7")
    assert [client.get("/api/v2/events/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert int(client.get("/api/v2/events/")["Retry-After"]) > 0
    other = Client(HTTP_HOST="localhost", REMOTE_ADDR="198.51.100.8")
    assert other.get("/api/v2/events/").status_code == 200


def test_listing_queries_do_not_grow_with_the_page_size(network):
    def queries(limit):
        with CaptureQueriesContext(connection) as captured:
            assert get("/api/v2/publications/", limit=limit).status_code == 200
        return len(captured)

    queries(1)  # content types and site root paths, cached once per process
    assert queries(20) == queries(5)


def documented_examples():
    text = DOCS.read_text(encoding="utf-8")
    return re.findall(r"^curl '?https?://[^/]+(/api/v2/[^'\s]*)'?$", text, re.MULTILINE)


def test_docs_hold_examples():
    assert len(documented_examples()) >= 5


@pytest.mark.parametrize("path", documented_examples())
def test_documented_example_answers(network, path):
    response = Client(HTTP_HOST="localhost").get(path)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data.get("items") or data.get("id")
