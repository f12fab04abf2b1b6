"""The news feeds (`/actualite/rss/`, `/actualite/atom/`, with the listing's filters) read
by a real feed reader (feedparser), and a series' own calendar (`<series URL>ical/`)
read by icalendar."""

from datetime import date
from html import unescape

from django.test import Client

import feedparser
import pytest
from icalendar import Calendar

from agenda.models import EventPage, EventSeriesPage
from publications.models import NewsIndexPage, NewsPage

from .factories import EventPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


def get(host, path, **params):
    response = Client(HTTP_HOST=host).get(path, params)
    assert response.status_code == 200, (host, path, response.status_code)
    return response


def parse(host, path, **params):
    parsed = feedparser.parse(get(host, path, **params).content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


@pytest.mark.parametrize("host", ["localhost", "irev.localhost"])
@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_news_feed_parses_and_carries_the_sites_news(network, host, fmt):
    parsed = parse(host, f"/actualite/{fmt}/")
    home = network.national_home if host == "localhost" else network.centres["irev"].home_page
    index = NewsIndexPage.objects.child_of(home).get()
    news = NewsPage.objects.child_of(index).live()
    assert {entry.link for entry in parsed.entries} == {page.full_url for page in news}
    assert parsed.feed.title.startswith(index.title)


def test_the_news_feed_is_newest_first_and_filtered_like_the_listing(network):
    index = NewsIndexPage.objects.child_of(network.centres["irev"].home_page).get()
    old = NewsPageFactory(parent=index, title="Bilan 2019", date=date(2019, 3, 1), tags=["emploi"])
    new = NewsPageFactory(parent=index, title="Rentrée", date=date(2031, 9, 1), tags=["santé"])
    parsed = parse("irev.localhost", "/actualite/rss/")
    assert parsed.entries[0].link == new.full_url
    emploi = parse("irev.localhost", "/actualite/atom/", theme="emploi")
    assert [entry.link for entry in emploi.entries] == [old.full_url]
    assert emploi.entries[0].tags[0].term == "emploi"
    year = parse("irev.localhost", "/actualite/rss/", year="2031")
    assert [entry.link for entry in year.entries] == [new.full_url]
    # Unknown values are ignored, as elsewhere.
    assert len(parse("irev.localhost", "/actualite/rss/", theme="inconnu").entries) == len(
        parsed.entries
    )
    # The listing shows the same selection and advertises its feeds.
    html = unescape(get("irev.localhost", "/actualite/", theme="emploi").content.decode())
    assert "Bilan 2019" in html and "Rentrée" not in html
    assert 'href="/actualite/rss/?theme=emploi"' in html
    assert 'type="application/atom+xml"' in html


def test_a_series_calendar_parses_with_every_session(network):
    series = EventSeriesPage.objects.live().first()
    assert series is not None  # the seed's webinar cycle
    extra = EventPageFactory(parent=series, title="Séance supplémentaire")
    host = series.get_site().hostname
    path = series.get_url_parts()[2]
    page = get(host, path)
    assert f'href="{path}ical/"' in page.content.decode()
    response = get(host, f"{path}ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == series.title
    urls = {str(event["URL"]) for event in calendar.walk("VEVENT")}
    sessions = EventPage.objects.child_of(series).live()
    assert urls == {session.full_url for session in sessions}
    assert extra.full_url in urls
    # A session is still served at its address under the routable series.
    assert get(host, f"{path}{extra.slug}/").context["page"].specific == extra
