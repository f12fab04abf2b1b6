"""What the portal gets from a library's private or internal API, asserted through its
public behaviour where no other test did: each is an upgrade checkpoint's covering test
(docs/upgrading.md), so it must fail when the internal it relies on changes."""

from hashlib import sha1

from django.test import Client, RequestFactory

from wagtail.models import Page, Site

import pytest

from agenda.models import EventPage
from bench.seed import (
    BULK_EVENT_SLUG_PREFIX,
    BULK_PUBLICATION_SLUG_PREFIX,
    add_bulk_events,
    add_bulk_publications,
)
from portal.child_routing import route_to_child
from publications.models import PublicationPage
from stats.models import Event

from .interop_http import http_files  # noqa: F401  (the fixture)
from .test_agenda_helpers import agenda_of, make_event
from .test_interop_wordpress import PDF, imported, old_site, png, run  # noqa: F401
from .test_stats_beacon import beacon, fresh_salts  # noqa: F401  (fresh_salts: autouse)

pytestmark = pytest.mark.django_db


def ical_link(response) -> str:
    html = response.content.decode()
    start = html.index('type="text/calendar"')
    return html[html.index('href="', start) + 6 : html.index('">', start)]


def test_each_site_caches_its_own_event_links(network):
    """portal.cache.fragment_key keys a fragment by the request's site (Wagtail's
    `request._wagtail_site`): the same event seen on its centre's site and on the portal
    (`/evenement/<slug>`) has a relative calendar link on the one and the centre's full
    address on the other, even once the first one's fragment is cached."""
    crcsur = network.centres["crcsur"]
    make_event(agenda_of(crcsur.home_page), "Forum des liens", organisers=[crcsur])
    own = Client(HTTP_HOST="crcsur.localhost").get("/agenda/forum-des-liens/")
    portal = Client(HTTP_HOST="localhost").get("/evenement/forum-des-liens")
    assert (own.status_code, portal.status_code) == (200, 200)
    assert ical_link(own) == "/agenda/forum-des-liens/ical/"
    assert ical_link(portal) == "http://crcsur.localhost/agenda/forum-des-liens/ical/"


def test_a_listing_child_knows_its_parent_without_a_query(network, django_assert_num_queries):
    """portal.child_routing hands the child its parent as treebeard's get_parent() keeps
    it (`_cached_parent_obj`): the page served needs no query to know its listing."""
    agenda = agenda_of(network.centres["irev"].home_page)
    event = make_event(agenda, "Atelier des parents", organisers=[network.centres["irev"]])
    request = RequestFactory().get("/agenda/atelier-des-parents/", HTTP_HOST="irev.localhost")
    page, _args, _kwargs = route_to_child(agenda, request, [event.slug], EventPage)
    assert page.pk == event.pk
    with django_assert_num_queries(0):
        assert page.get_parent().pk == agenda.pk


def test_imported_files_carry_their_size_hash_and_dimensions(old_site, network):
    """The WordPress import fills each file's metadata as an upload does, through
    Wagtail's `_set_image_file_metadata()` / `_set_document_file_metadata()`."""
    run(old_site)
    image = imported(20).image
    assert (image.width, image.height) == (30, 20)
    assert (image.file_size, image.file_hash) == (len(png()), sha1(png()).hexdigest())
    document = imported(21).documents.get().document
    assert (document.file_size, document.file_hash) == (len(PDF), sha1(PDF).hexdigest())


def test_bulk_pages_are_children_where_treebeard_puts_them(network):
    """The benchmark's bulk pages are written without treebeard's add_child, with its
    private path helpers and Django's private batched insert: the tree must be the one
    treebeard would have built (paths, depths, child counts), each page a child of its
    listing with its own row of the page type, and treebeard adds after them."""
    add_bulk_events(3, log=lambda message: None)
    add_bulk_publications(3, log=lambda message: None)
    for model, prefix in (
        (EventPage, BULK_EVENT_SLUG_PREFIX),
        (PublicationPage, BULK_PUBLICATION_SLUG_PREFIX),
    ):
        pages = list(model.objects.filter(slug__startswith=prefix).order_by("path"))
        assert len(pages) == 3, model
        for page in pages:
            parent = page.get_parent()
            assert page.url_path == f"{parent.url_path}{page.slug}/"
            assert parent.get_children().filter(pk=page.pk).exists()
        # Their own rows (the child table) carry their fields.
        assert all(page.title and page.pk for page in pages)
        if model is EventPage:
            assert all(page.starts_at and page.time_zone for page in pages)
        # The next child treebeard adds goes after the last bulk one.
        parent = pages[-1].get_parent()
        added = parent.add_child(instance=Page(title="Après le lot", slug="apres-le-lot"))
        assert added.path > pages[-1].path
    assert all(not problems for problems in Page.find_problems())


def test_a_beacon_on_the_development_port_counts_for_its_site(network):
    """`make run` serves every site on port 8000: the beacon's own-site check compares
    the page's host without its port (Django's `split_domain_port`), and the site is
    the one Wagtail matches on host and port (`_get_raw_host()`, `_find_for_request`)."""
    irev = network.centres["irev"]
    response = beacon(Client(), "irev.localhost:8000", "/", page=irev.home_page.pk)
    assert response.status_code == 204
    assert Event.objects.get().site_id == Site.objects.get(root_page=irev.home_page).pk
