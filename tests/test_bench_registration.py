"""The benchmark's line for registrations (issue #20): the seed opens registrations on
a copy of the reference event (the `event_page_registration` target), and the POST
figure posts real registrations and leaves the page as it found it."""

from django.test import Client

import pytest

from agenda.models import EventPage
from bench.registration_post import measure
from bench.seed import (
    REFERENCE_EVENT_SLUG,
    REGISTRATION_CAPACITY,
    REGISTRATION_EVENT_SLUG,
    add_bulk_events,
)
from bench.targets import TARGETS
from registrations.models import Opening, Registrant

pytestmark = pytest.mark.django_db


def test_the_bench_seed_opens_registrations_on_a_copy_of_the_reference_event(network):
    add_bulk_events(2, log=lambda message: None)
    add_bulk_events(2, log=lambda message: None)  # topping up: nothing more, nothing twice
    reference = EventPage.objects.get(slug=REFERENCE_EVENT_SLUG)
    page = EventPage.objects.get(slug=REGISTRATION_EVENT_SLUG)
    assert page.live and page.get_parent().pk == reference.get_parent().pk
    assert page.state == "upcoming" and page.registration_url == ""
    assert set(page.organisers.values_list("pk", flat=True)) == set(
        reference.organisers.values_list("pk", flat=True)
    )
    opening = Opening.objects.get(page=page)
    assert opening.is_open and opening.capacity == REGISTRATION_CAPACITY
    target = next(t for t in TARGETS if t.name == "event_page_registration")
    response = Client(HTTP_HOST=target.host).get(target.path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/inscription/{opening.pk}/" in html and "places disponibles" in html
    # The bulk events' numbering is untouched: the copy is not one of them.
    assert EventPage.objects.filter(slug__startswith="bench-evenement-").count() == 2


def test_the_post_figure_registers_for_real_and_cleans_up(network):
    add_bulk_events(1, log=lambda message: None)
    figure = measure(posts=3)
    assert figure["posts"] == 3
    for key in ("post", "page_get"):
        assert figure[key]["p50_ms"] > 0 and figure[key]["queries"] > 0
    # A POST writes (registrant, seat) where the GET only reads.
    assert figure["post"]["queries"] > figure["page_get"]["queries"]
    # The demo's own registrants stay; the bench's are gone.
    assert Registrant.objects.exists()
    assert not Registrant.objects.filter(opening__page__slug=REGISTRATION_EVENT_SLUG).exists()
