"""The external-feed block (interop.ExternalFeed, e.g. the press panorama shown on every
site): fetched by the scheduled job from a real HTTP server on the loopback, never at
page render; a failing feed keeps its last good items and says so."""

from html import unescape

from django.core.management import CommandError, call_command
from django.test import Client

import pytest

from interop.models import ExternalFeed
from portal.models import JobRun

from .interop_http import http_files  # noqa: F401

pytestmark = pytest.mark.django_db

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Panorama de presse</title><link>https://www.scoop.it/</link>
<item><title>Quartiers : la rénovation urbaine en débat</title>
<link>https://presse.example.org/renovation</link>
<pubDate>Tue, 01 Dec 2026 08:00:00 +0100</pubDate></item>
<item><title>Emploi des jeunes dans les QPV</title>
<link>https://presse.example.org/emploi</link></item>
<item><title>Sans lien</title></item>
</channel></rss>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Veille</title>
<entry><title>Conseils citoyens : dix ans après</title>
<link rel="alternate" href="https://veille.example.org/conseils"/><updated>2026-11-20T10:00:00Z</updated></entry>
</feed>""".encode()


def page_html(host="irev.localhost", path="/offres/"):
    response = Client(HTTP_HOST=host).get(path)
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_job_fetches_the_feed_and_every_site_shows_it(network, http_files):
    http_files["/panorama.rss"] = (RSS, "application/rss+xml")
    feed = ExternalFeed.objects.create(
        name="Panorama de presse", url=http_files.url("/panorama.rss")
    )
    assert "Ce flux n’a pas encore été récupéré." in page_html()  # nothing fetched at render
    call_command("fetch_external_feeds")
    feed.refresh_from_db()
    assert feed.state == ExternalFeed.State.OK and feed.last_success_at
    assert [item["title"] for item in feed.items] == [
        "Quartiers : la rénovation urbaine en débat",
        "Emploi des jeunes dans les QPV",
    ]
    assert feed.items[0]["date"] == "2026-12-01"
    for host in ("irev.localhost", "localhost", "crcsur.localhost"):
        html = page_html(host, "/")
        assert "Panorama de presse" in html
        assert 'href="https://presse.example.org/renovation"' in html
    assert JobRun.objects.filter(name="fetch_external_feeds", ok=True).exists()


def test_a_failing_feed_keeps_its_last_good_items_and_says_so(network, http_files):
    http_files["/panorama.rss"] = (RSS, "application/rss+xml")
    feed = ExternalFeed.objects.create(
        name="Panorama de presse", url=http_files.url("/panorama.rss")
    )
    call_command("fetch_external_feeds")
    good = ExternalFeed.objects.get(pk=feed.pk).items
    assert good
    del http_files["/panorama.rss"]  # the feed now answers 404
    with pytest.raises(CommandError, match="404"):
        call_command("fetch_external_feeds")
    feed.refresh_from_db()
    assert feed.state == ExternalFeed.State.FAILING and "404" in feed.last_error
    assert feed.items == good
    html = page_html()
    assert "Ce flux ne répond plus" in html and "Emploi des jeunes dans les QPV" in html
    assert JobRun.objects.filter(name="fetch_external_feeds", ok=False).exists()
    # Not a feed at all: the same.
    http_files["/panorama.rss"] = (b"<html><body>Maintenance</body></html>", "text/html")
    with pytest.raises(CommandError, match="ni RSS ni Atom"):
        call_command("fetch_external_feeds")
    feed.refresh_from_db()
    assert feed.state == ExternalFeed.State.FAILING and feed.items == good
    # Back: fresh items, the notice gone.
    http_files["/panorama.rss"] = (ATOM, "application/atom+xml")
    call_command("fetch_external_feeds")
    feed.refresh_from_db()
    assert feed.state == ExternalFeed.State.OK
    assert feed.items == [
        {
            "title": "Conseils citoyens : dix ans après",
            "link": "https://veille.example.org/conseils",
            "date": "2026-11-20",
        }
    ]
    html = page_html()
    assert "Ce flux ne répond plus" not in html and "Conseils citoyens : dix ans après" in html


def test_a_feed_never_fetched_and_unreachable_says_it_is_unavailable(network, http_files):
    ExternalFeed.objects.create(name="Veille", url=http_files.url("/absent.xml"))
    with pytest.raises(CommandError):
        call_command("fetch_external_feeds")
    assert "Ce flux est momentanément indisponible." in page_html()
