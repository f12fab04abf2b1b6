"""Routes remembered per content version (portal/routing.py): the second visit to a page
costs fewer queries and serves the same page; every change that could send the address
elsewhere (unpublish, new slug, move, delete) is seen at the next request; sub-routes,
alternative addresses and view restrictions keep Wagtail's rules."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from .test_agenda_helpers import agenda_of, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(network):
    return make_event(
        agenda_of(network.centres["irev"].home_page),
        "Atelier des routes",
        organisers=[network.centres["irev"]],
    )


def path_of(page, centre="irev"):
    return page.url_path[len(f"/{centre}") :]


def get(path, host="irev.localhost"):
    with CaptureQueriesContext(connection) as queries:
        response = Client(HTTP_HOST=host).get(path)
    return response, len(queries)


def test_the_second_visit_routes_in_fewer_queries_to_the_same_page(event):
    first, first_queries = get(path_of(event))
    second, second_queries = get(path_of(event))
    assert first.status_code == second.status_code == 200
    assert first.context["page"].pk == second.context["page"].pk == event.pk
    assert type(second.context["page"]) is type(event)  # the specific page, as Wagtail gives
    # home → agenda → event: Wagtail asks two queries per level; remembered, one in all.
    assert second_queries <= first_queries - 3


def test_an_unpublished_page_is_gone_at_the_next_request(event):
    assert get(path_of(event))[0].status_code == 200
    event.unpublish()
    assert get(path_of(event))[0].status_code == 404


def test_a_new_slug_moves_the_page_at_the_next_request(event):
    old = path_of(event)
    assert get(old)[0].status_code == 200
    event.slug = "atelier-renomme"
    event.save_revision().publish()
    event.refresh_from_db()
    assert path_of(event) != old
    assert get(path_of(event))[0].context["page"].pk == event.pk
    assert get(old)[0].status_code in (301, 302, 404)  # Wagtail's redirect, or gone


def test_a_moved_page_answers_at_its_new_address_only(network, event):
    old = path_of(event)
    assert get(old)[0].status_code == 200
    other = agenda_of(network.centres["oriv"].home_page)
    event.move(other, pos="last-child")
    event.refresh_from_db()
    assert get(old)[0].status_code in (301, 302, 404)
    assert get(path_of(event, "oriv"), "oriv.localhost")[0].status_code == 200


def test_a_deleted_page_is_gone_at_the_next_request(event):
    path = path_of(event)
    assert get(path)[0].status_code == 200
    event.delete()
    assert get(path)[0].status_code == 404


def test_sub_routes_are_routed_by_the_page_every_time(event):
    assert get(path_of(event))[0].status_code == 200
    calendar, _ = get(path_of(event) + "ical/")
    assert calendar.status_code == 200 and calendar["Content-Type"].startswith("text/calendar")
    page, _ = get(path_of(event))
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")


def test_a_restriction_added_later_still_applies_to_a_remembered_route(event):
    assert get(path_of(event))[0].status_code == 200
    PageViewRestriction.objects.create(page=event, restriction_type="password", password="x")
    response, _ = get(path_of(event))
    assert "Atelier des routes" not in response.content.decode().split("<main", 1)[-1]
    assert 'name="password"' in response.content.decode()


def test_an_address_on_another_site_is_not_taken_from_this_one(network, event):
    assert get(path_of(event))[0].status_code == 200
    # The same path on another centre's site leads to nothing there.
    assert get(path_of(event), "oriv.localhost")[0].status_code == 404


def queries_of(path, host="irev.localhost"):
    with CaptureQueriesContext(connection) as queries:
        response = Client(HTTP_HOST=host).get(path)
    return response, [query["sql"] for query in queries.captured_queries]


def test_an_unrestricted_remembered_page_skips_the_restriction_queries(event):
    _, first = queries_of(path_of(event))
    response, second = queries_of(path_of(event))
    assert response.status_code == 200 and response.context["page"].pk == event.pk
    # Wagtail asked for the restrictions (and the ancestors' aliases) the first time only.
    assert any("wagtailcore_pageviewrestriction" in sql for sql in first)
    assert not any("wagtailcore_pageviewrestriction" in sql for sql in second)


def test_a_restriction_added_later_on_an_ancestor_still_applies(network, event):
    assert get(path_of(event))[0].status_code == 200
    agenda = agenda_of(network.centres["irev"].home_page)
    PageViewRestriction.objects.create(page=agenda, restriction_type="password", password="x")
    response, _ = get(path_of(event))
    assert 'name="password"' in response.content.decode()
    assert "Atelier des routes" not in response.content.decode().split("<main", 1)[-1]


def test_a_restriction_removed_opens_the_page_again(event):
    restriction = PageViewRestriction.objects.create(
        page=event, restriction_type="password", password="x"
    )
    assert 'name="password"' in get(path_of(event))[0].content.decode()
    restriction.delete()
    response, _ = get(path_of(event))
    assert response.status_code == 200 and response.context["page"].pk == event.pk


def test_each_host_gets_its_own_remembered_site(network):
    for slug in ("irev", "oriv"):
        Client(HTTP_HOST=f"{slug}.localhost").get("/")
    for slug in ("irev", "oriv"):
        response, sql = queries_of("/", f"{slug}.localhost")
        assert response.status_code == 200
        assert response.context["page"].pk == network.centres[slug].home_page.pk
        assert not any('FROM "wagtailcore_site"' in query for query in sql), slug


def test_a_site_s_new_hostname_is_seen_at_the_next_request(network):
    assert Client(HTTP_HOST="oriv.localhost").get("/").context["page"].pk == (
        network.centres["oriv"].home_page.pk
    )
    site = network.centres["oriv"].home_page.get_site()
    site.hostname = "oriv-nouveau.localhost"
    site.save()
    response = Client(HTTP_HOST="oriv-nouveau.localhost").get("/")
    assert response.context["page"].pk == network.centres["oriv"].home_page.pk
    # The old host now falls back to the default site, as Wagtail does.
    old = Client(HTTP_HOST="oriv.localhost").get("/")
    assert old.context["page"].pk != network.centres["oriv"].home_page.pk
