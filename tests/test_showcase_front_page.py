"""The national front page: the coordinator's featured items in order, the latest
approved items per section, the network's own events and news; unpublished, deleted and
expired items drop out at once; its queries do not grow with the number of proposals."""

import time
from datetime import timedelta
from html import escape

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from agenda.models import EventPage
from publications.models import NewsPage, PublicationPage
from showcase import decisions
from showcase.models import Proposal, Section, Status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_showcase")]


def upcoming_event(centre):
    return (
        EventPage.objects.live()
        .descendant_of(centre.home_page)
        .filter(ends_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )


def publication_of(centre):
    return PublicationPage.objects.live().descendant_of(centre.home_page).order_by("pk").first()


def news_of(centre):
    return NewsPage.objects.live().descendant_of(centre.home_page).order_by("pk").first()


def front_page(network):
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    return response.content.decode()


def position(html, text):
    text = escape(text)
    assert text in html, f"{text!r} is not on the front page"
    return html.index(text)


@pytest.fixture
def coordinator(network):
    return network.user("coordination")


def test_featured_items_come_first_in_the_coordinators_order(network, coordinator):
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    event, publication = upcoming_event(irev), publication_of(oriv)
    until = timezone.localdate() + timedelta(days=10)
    second = decisions.feature(
        decisions.propose(event, network.user("editeur-irev")), coordinator, order=2, until=until
    )
    decisions.feature(
        decisions.propose(publication, network.user("editeur-oriv")),
        coordinator,
        order=1,
        until=until,
    )
    news = decisions.approve(
        decisions.propose(news_of(irev), network.user("editeur-irev")), coordinator
    )

    html = front_page(network)
    featured = html[position(html, "À la une") :]
    assert position(featured, publication.title) < position(featured, event.title)
    # Then the latest approved per section; a featured item is not shown twice.
    assert position(html, "À la une") < position(html, "Actualités des centres")
    assert html.count(f">{escape(event.title)}</a>") == 1
    assert position(html, "Actualités des centres") < position(html, news.title)
    assert oriv.name in featured and irev.name in featured  # each card names its centre
    assert second.is_featured


def test_latest_approved_per_section_then_the_networks_own_events_and_news(network, coordinator):
    irev = network.centres["irev"]
    publication = publication_of(irev)
    pending = decisions.propose(upcoming_event(irev), network.user("editeur-irev"))
    decisions.select(publication, coordinator)

    html = front_page(network)
    assert position(html, "Ressources des centres") < position(html, publication.title)
    assert escape(pending.title) not in html  # waiting for a decision: not shown
    national_event = (
        EventPage.objects.live()
        .descendant_of(network.national_home)
        .filter(ends_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    national_news = (
        NewsPage.objects.live().descendant_of(network.national_home).order_by("-date").first()
    )
    assert position(html, "Prochains événements du réseau") < position(html, national_event.title)
    assert position(html, "Actualités du réseau") < position(html, national_news.title)


def test_declined_and_withdrawn_items_are_not_shown(network, coordinator):
    irev = network.centres["irev"]
    editor = network.user("editeur-irev")
    declined = decisions.decline(
        decisions.propose(publication_of(irev), editor), coordinator, "Hors sujet"
    )
    withdrawn = decisions.withdraw(
        decisions.approve(
            decisions.propose(news_of(irev), network.user("editeur-irev")), coordinator
        ),
        coordinator,
    )
    html = front_page(network)
    assert escape(declined.title) not in html and escape(withdrawn.title) not in html


def test_unpublishing_or_deleting_the_page_removes_it_at_once(network, coordinator):
    irev = network.centres["irev"]
    until = timezone.localdate() + timedelta(days=5)
    event, publication = upcoming_event(irev), publication_of(irev)
    decisions.feature(decisions.select(event, coordinator), coordinator, 1, until)
    decisions.approve(decisions.propose(publication, network.user("editeur-irev")), coordinator)
    front_page(network)  # warms the layout cache

    event.unpublish()
    publication.delete()
    html = front_page(network)
    assert escape(event.title) not in html and escape(publication.title) not in html
    # The record stays for the yearly figures, without its page.
    kept = Proposal.objects.get(title=publication.title)
    assert kept.page is None and kept.approved_at is not None


def test_a_featured_item_past_its_end_date_drops_out_by_itself(network, coordinator):
    irev = network.centres["irev"]
    event = upcoming_event(irev)
    proposal = decisions.feature(
        decisions.select(event, coordinator), coordinator, 1, timezone.localdate()
    )
    # Its last moment two seconds away (set in the table: no decision, no new version):
    # the cached front page is kept until then, and no longer.
    Proposal.objects.filter(pk=proposal.pk).update(
        featured_until=timezone.now() + timedelta(seconds=2)
    )
    cache.clear()
    assert "À la une" in front_page(network)
    assert "À la une" in front_page(network)  # from the cache
    time.sleep(2.5)
    html = front_page(network)
    assert "À la une" not in html
    # Still approved: back in its section until the coordinator withdraws it.
    assert position(html, "Agenda des centres") < position(html, event.title)


def test_a_decision_shows_at_once_with_the_layout_cached(network, coordinator):
    irev = network.centres["irev"]
    publication = publication_of(irev)
    proposal = decisions.propose(publication, network.user("editeur-irev"))
    assert escape(publication.title) not in front_page(network)
    decisions.approve(proposal, coordinator)
    assert escape(publication.title) in front_page(network)


def showcase_many(network, count, coordinator):
    """`count` approved proposals of the centres' items, a third of them featured."""
    pages = [
        *PublicationPage.objects.live().exclude(path__startswith=network.national_home.path),
        *NewsPage.objects.live().exclude(path__startswith=network.national_home.path),
        *EventPage.objects.live().exclude(path__startswith=network.national_home.path),
    ]
    assert len(pages) >= count
    now = timezone.now()
    sections = {
        PublicationPage: Section.RESOURCES,
        NewsPage: Section.NEWS,
        EventPage: Section.AGENDA,
    }
    Proposal.objects.bulk_create(
        [
            Proposal(
                page=page,
                title=page.title,
                section=sections[type(page)],
                centre=network.centres["irev"],
                status=Status.APPROVED,
                approved_at=now,
                decided_by=coordinator,
                decided_at=now,
                featured_order=(n % 5 + 1) if n % 3 == 0 else None,
                featured_until=now + timedelta(days=3) if n % 3 == 0 else None,
            )
            for n, page in enumerate(pages[:count])
        ]
    )


def test_queries_do_not_grow_with_the_number_of_proposals(
    network, coordinator, django_assert_num_queries
):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    showcase_many(network, 5, coordinator)
    client.get("/")  # warm the layout cache
    # The log is a bounded deque, full by now: counts taken from a fresh one.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as few:
        html_few = client.get("/").content.decode()
    queries_few = len(few.captured_queries)
    Proposal.objects.all().delete()
    showcase_many(network, 50, coordinator)
    client.get("/")
    connection.queries_log.clear()
    with django_assert_num_queries(queries_few):
        html_many = client.get("/").content.decode()
    # The comparison means something only if the larger page lists more items.
    card = 'class="card showcase-card"'
    assert html_many.count(card) > html_few.count(card)


def test_a_page_under_a_view_restriction_is_not_shown(network, coordinator):
    from wagtail.models import PageViewRestriction

    publication = publication_of(network.centres["irev"])
    decisions.select(publication, coordinator)
    assert escape(publication.title) in front_page(network)
    PageViewRestriction.objects.create(
        page=publication, restriction_type="password", password="réservé"
    )
    assert escape(publication.title) not in front_page(network)
