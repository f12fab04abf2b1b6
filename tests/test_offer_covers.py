"""Offers' covers (issue #21), as events', publications' and news': an image needs its
alternative text in the admin (the image's own description is the default), and the
cover is shown at the head of the offer, on its listing's cards and in the offers'
section of a centre's home, fetched with the offers (no query per card)."""

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from offers.models import OfferIndexPage

from .admin_forms import admin_form_data
from .factories import OfferPageFactory
from .test_covers import check_picture, make_image, pictures
from .test_social_meta import meta

pytestmark = pytest.mark.django_db

HOST = "irev.localhost"


def get(path, host=HOST):
    response = Client(HTTP_HOST=host).get(path)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


@pytest.fixture
def irev(network):
    return network.centres["irev"]


@pytest.fixture
def offers_index(irev):
    return OfferIndexPage.objects.child_of(irev.home_page).get()


def make_offer(index, title, *, days=2, **fields):
    # Closing before the demo's offers: first in the listing and on the home.
    return OfferPageFactory(
        parent=index,
        title=title,
        organisation="Ville de Roubaix",
        closing_date=timezone.localdate() + timedelta(days=days),
        **fields,
    )


def edit(network, page, **changes):
    client = network.client_for("editeur-irev", host=HOST)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = client.get(url).context["form"]
    return client.post(
        url, admin_form_data(form, **{"action-publish": "action-publish"}, **changes)
    )


def test_an_offer_image_without_alternative_text_is_refused(network, irev, offers_index):
    offer = make_offer(offers_index, "Chargé·e de mission sans image")
    bare = make_image(irev.collection, "Sans description")
    for alt in ("", "   "):
        response = edit(network, offer, cover_image=str(bare.pk), cover_alt=alt)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "cover_alt" in errors, errors
        assert "texte alternatif" in str(errors["cover_alt"])
    offer.refresh_from_db()
    assert offer.cover_image_id is None  # nothing published
    # Without an image, no text is asked for.
    assert edit(network, offer, cover_alt="").status_code == 302


def test_the_image_description_is_the_offer_default_alternative_text(network, irev, offers_index):
    offer = make_offer(offers_index, "Chargé·e de mission illustrée")
    described = make_image(irev.collection, "Décrite", description="Une équipe en réunion")
    response = edit(network, offer, cover_image=str(described.pk), cover_alt="")
    assert response.status_code == 302, response.context["form"].errors
    offer.refresh_from_db()
    assert offer.cover_alt == "Une équipe en réunion"
    # The editor's own text wins over the description.
    response = edit(network, offer, cover_image=str(described.pk), cover_alt="Trois collègues")
    assert response.status_code == 302, response.context["form"].errors
    offer.refresh_from_db()
    assert offer.cover_alt == "Trois collègues"


def test_the_cover_on_the_offer_its_cards_and_the_home(irev, offers_index):
    photo = make_image(irev.collection, "Bureaux")
    offer = make_offer(
        offers_index, "Chargé·e d’observation", cover_image=photo, cover_alt="Des bureaux vides"
    )
    # The offer's head: not lazy (first screen).
    html = get(f"/offres/{offer.slug}/")
    (head,) = pictures(html)
    check_picture(head, "Des bureaux vides", lazy=False)
    # Shared with the page's own text (not the image's title).
    tags = meta(html)
    assert "/images/" in tags["og:image"] and tags["og:image:alt"] == "Des bureaux vides"
    # Its card in IREV's listing and in the network's, and on IREV's home: lazy.
    for host, path in ((HOST, "/offres/"), ("localhost", "/offres/"), (HOST, "/")):
        cards = [p for p in pictures(get(path, host)) if 'alt="Des bureaux vides"' in p]
        assert len(cards) == 1, (host, path)
        check_picture(cards[0], "Des bureaux vides", lazy=True)


def test_an_offer_without_image_shows_no_picture(offers_index):
    offer = make_offer(offers_index, "Offre sans image")
    assert pictures(get(f"/offres/{offer.slug}/")) == []


def test_the_listing_fetches_the_covers_with_the_offers(irev, offers_index):
    """Cold (nothing cached), IREV's listing costs as many queries with one covered offer
    as with six: images and renditions come with the page of offers."""

    def cold():
        get("/offres/")  # the renditions made once
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            get("/offres/")
        return len(queries)

    make_offer(
        offers_index,
        "Offre illustrée",
        cover_image=make_image(irev.collection, "Photo", size=(64, 36)),
        cover_alt="Photo",
    )
    before = cold()
    for number in range(5):
        make_offer(
            offers_index,
            f"Offre illustrée {number}",
            days=3 + number,
            cover_image=make_image(irev.collection, f"Photo{number}", size=(64, 36)),
            cover_alt=f"Photo {number}",
        )
    assert cold() == before
