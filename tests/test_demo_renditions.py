"""The demo's images are ready before its first visitor (demo/seed/renditions.py): the
homes, listings and pages that show the seeded covers, banners and logos make no new
rendition when they are first visited."""

from django.test import Client

from wagtail.images import get_image_model

from agenda.models import EventPage
from publications.models import NewsPage

Rendition = get_image_model().get_rendition_model()


def test_the_seeded_covers_banners_and_logos_need_no_rendition_at_the_first_visit(network):
    irev = network.centres["irev"].home_page
    covered = [
        page
        for model in (EventPage, NewsPage)
        for page in model.objects.live().descendant_of(irev)
        if page.cover is not None
    ]
    assert covered, "the demo gives IREV's next day of exchanges and its news a cover"
    made = Rendition.objects.count()
    pictures = 0
    visits = [("irev.localhost", "/"), ("irev.localhost", "/agenda/"), ("localhost", "/")]
    visits += [("irev.localhost", page.get_url_parts()[2]) for page in covered]
    for host, path in visits:
        response = Client(HTTP_HOST=host).get(path)
        assert response.status_code == 200, path
        pictures += response.content.decode().count("<picture")
    assert pictures >= len(covered) + 1  # the pages' heads, the banner, the cards
    assert Rendition.objects.count() == made
