"""Cover images (portal/covers.py): every card and page head renders them the same way,
with a responsive srcset in AVIF and WebP, a JPEG fallback, width and height (no layout
shift), lazy loading on cards; an image without its alternative text is refused in the
admin; listings fetch the covers with their items, whatever their number."""

import io
import re
from datetime import timedelta

from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from publications.models import NewsIndexPage

from .admin_forms import admin_form_data
from .factories import NewsPageFactory
from .test_agenda_helpers import agenda_of, fetch, make_event
from .test_publications_helpers import library_of, make_publication

Image = get_image_model()


def make_image(collection, title="Photo", size=(1600, 900), description=""):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (40, 110, 160)).save(buffer, "JPEG")
    return Image.objects.create(
        title=title,
        description=description,
        collection=collection,
        file=ImageFile(buffer, name=f"{title.lower()}.jpg"),
    )


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture class=\"cover[^>]*>.*?</picture>", html, re.S)


def check_picture(picture: str, alt: str, *, lazy: bool):
    assert '<source type="image/avif" srcset="' in picture
    assert '<source type="image/webp" srcset="' in picture
    img = re.search(r"<img [^>]*>", picture).group(0)
    assert f'alt="{alt}"' in img
    width, height = re.search(r'width="(\d+)" height="(\d+)"', img).groups()
    assert int(width) > 0 and int(height) > 0
    # Every format at two widths, the browser choosing from `sizes`.
    for srcset in re.findall(r'srcset="([^"]+)"', picture):
        assert len(srcset.split(", ")) == 2, srcset
        assert all(item.split()[-1].endswith("w") for item in srcset.split(", "))
    assert re.search(r'srcset="[^"]+\.avif \d+w', picture)
    assert re.search(r'srcset="[^"]+\.webp \d+w', picture)
    assert re.search(r'src="[^"]+\.jpg"', img)
    assert ('loading="lazy"' in img) is lazy


@pytest.fixture
def covered(network):
    irev = network.centres["irev"]
    photo = make_image(irev.collection, "Affiche")
    event = make_event(
        agenda_of(irev.home_page),
        "Rencontre illustrée",
        organisers=[irev],
        start_date=timezone.localdate() + timedelta(days=4),
        cover_image=photo,
        cover_alt="Une salle de réunion pleine",
    )
    publication = make_publication(
        library_of(irev.home_page),
        "Étude illustrée",
        authors=[irev],
        publication_date=timezone.localdate(),
        cover_image=photo,
        cover_alt="Couverture de l’étude",
    )
    news = NewsPageFactory(
        parent=NewsIndexPage.objects.child_of(irev.home_page).get(),
        title="Actualité illustrée",
        date=timezone.localdate() + timedelta(days=30),
        image=photo,
        image_alt="Le quartier vu d’en haut",
    )
    return event, publication, news


def test_cards_and_page_heads_show_the_cover(covered):
    event, publication, news = covered
    # (The seeded events' covers show too where their files are: not in every test
    # process, whose media are in memory.)
    listed = pictures(fetch("http://irev.localhost/agenda/").content.decode())
    card = [p for p in listed if "Une salle de réunion pleine" in p]
    assert len(card) == 1 and "cover--card" in card[0]
    check_picture(card[0], "Une salle de réunion pleine", lazy=True)
    head = pictures(fetch(event.full_url).content.decode())
    assert len(head) == 1 and "cover--head" in head[0]
    # The head is in the first screen: not lazy, asked for first.
    check_picture(head[0], "Une salle de réunion pleine", lazy=False)
    assert 'fetchpriority="high"' in head[0]

    library = pictures(fetch("http://irev.localhost/ressources/").content.decode())
    covers = [p for p in library if "Couverture de l’étude" in p]
    assert len(covers) == 1 and "cover--card-portrait" in covers[0]
    check_picture(covers[0], "Couverture de l’étude", lazy=True)
    (head,) = pictures(fetch(publication.full_url).content.decode())
    assert "cover--head-portrait" in head

    listed = pictures(fetch("http://irev.localhost/actualite/").content.decode())
    assert any('alt="Le quartier vu d’en haut"' in p for p in listed)
    (head,) = pictures(fetch(news.full_url).content.decode())
    check_picture(head, "Le quartier vu d’en haut", lazy=False)


def test_the_cards_fetch_their_covers_in_bulk(network, covered):
    """Cold (nothing cached), the agenda costs as many queries with one cover as with
    eight: the images and their renditions come with the page of events."""
    irev = network.centres["irev"]
    url = "http://irev.localhost/agenda/"

    def cold():
        from django.core.cache import cache

        fetch(url)  # the renditions made once
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert fetch(url).status_code == 200
        return len(queries)

    before = cold()
    for number in range(7):
        make_event(
            agenda_of(irev.home_page),
            f"Rencontre illustrée {number}",
            organisers=[irev],
            start_date=timezone.localdate() + timedelta(days=5 + number),
            cover_image=make_image(irev.collection, f"Photo{number}", size=(64, 36)),
            cover_alt=f"Photo {number}",
        )
    assert cold() == before


def edit(network, page, **changes):
    client = network.client_for("editeur-irev", host="irev.localhost")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = client.get(url).context["form"]
    return client.post(
        url, admin_form_data(form, **{"action-publish": "action-publish"}, **changes)
    )


def test_an_image_without_alternative_text_is_refused(network, covered):
    event, _publication, news = covered
    irev = network.centres["irev"]
    bare = make_image(irev.collection, "Sans description")
    response = edit(network, event, cover_image=str(bare.pk), cover_alt="")
    assert response.status_code == 200
    assert "cover_alt" in response.context["form"].errors
    assert "texte alternatif" in str(response.context["form"].errors["cover_alt"])
    response = edit(network, news, image=str(bare.pk), image_alt="  ")
    assert response.status_code == 200 and "image_alt" in response.context["form"].errors


def test_the_image_description_is_the_default_alternative_text(network, covered):
    event, _publication, _news = covered
    described = make_image(network.centres["irev"].collection, "Décrite", description="Un marché")
    response = edit(network, event, cover_image=str(described.pk), cover_alt="")
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.cover_alt == "Un marché"
    assert 'alt="Un marché"' in fetch(event.full_url).content.decode()


def test_no_image_no_picture_and_no_error(network):
    irev = network.centres["irev"]
    event = make_event(agenda_of(irev.home_page), "Sans image", organisers=[irev])
    assert pictures(fetch(event.full_url).content.decode()) == []
    assert edit(network, event, cover_alt="").status_code == 302


def test_avif_renditions_are_encoded_at_the_portals_speed(network, monkeypatch):
    """Willow's AVIF encoder with libavif's speed set (portal/images.py): a valid AVIF
    rendition, encoded with the speed asked for."""
    from PIL import Image as Pillow

    from portal import images

    speeds = []
    original = Pillow.Image.save

    def save(self, fp, format=None, **params):
        if format == "AVIF":
            speeds.append(params.get("speed"))
        return original(self, fp, format, **params)

    monkeypatch.setattr(Pillow.Image, "save", save)
    photo = make_image(network.centres["irev"].collection, "Vitesse", size=(320, 180))
    rendition = photo.get_rendition("fill-160x90|format-avif")
    assert speeds == [images.AVIF_SPEED]
    with rendition.file.open() as file:
        decoded = PILImage.open(file)
        assert (decoded.format, decoded.size) == ("AVIF", (160, 90))
