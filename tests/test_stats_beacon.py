"""The beacon endpoint (POST /stats/event) and the download counter: what is stored,
what is refused (4xx with a reason, nothing stored) and what is silently dropped
(bots, Do Not Track, Global Privacy Control, opted-out users: 204, nothing stored)."""

import json
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.test import Client, override_settings

from wagtail.documents import get_document_model

import pytest

from stats.models import DailySalt, Event, ExcludedUser
from stats.privacy import delete_expired_salts, forget_cached_salts, salt_for

from .reads_fixtures import publish_page_using

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def fresh_salts():
    forget_cached_salts()
    yield
    forget_cached_salts()


def beacon(client, host, path, *, page=None, referrer="", headers=None, **extra):
    body = {"url": f"http://{host}{path}", "referrer": referrer}
    if page is not None:
        body["page"] = page
    body.update(extra)
    return client.post(
        "/stats/event",
        json.dumps(body),
        content_type="text/plain",
        **{"HTTP_HOST": host, "HTTP_USER_AGENT": BROWSER, **(headers or {})},
    )


def home_of(network, slug=None):
    return network.centres[slug].home_page if slug else network.national_home


def test_a_page_view_is_stored_without_address_agent_query_or_cookie(network):
    client = Client(enforce_csrf_checks=True)  # no CSRF cookie, no token: still accepted
    home = network.national_home
    response = beacon(
        client,
        "localhost",
        "/les-crpv/?q=secret&utm_source=lettre",
        page=home.get_children().get(slug="les-crpv").pk,
        referrer="https://www.example.org/some/path?token=abc",
        headers={"REMOTE_ADDR": "203.0.113.9"},
        first_visit=True,
    )
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    event = Event.objects.get()
    assert (event.path, event.referrer_host, event.first_visit) == (
        "/les-crpv/",
        "www.example.org",
        True,
    )
    assert event.site_id == network.national_site.pk
    stored = " ".join(str(value) for value in Event.objects.values_list().get())
    for secret in ("203.0.113.9", "Firefox", "secret", "token", "/some/path"):
        assert secret not in stored


def test_a_page_is_found_by_its_address_when_no_id_is_sent(network):
    assert beacon(Client(), "irev.localhost", "/le-centre/").status_code == 204
    assert (
        Event.objects.get().page_id
        == network.centres["irev"].home_page.get_children().get(slug="le-centre").pk
    )


def test_internal_navigation_has_no_referrer(network):
    beacon(
        Client(),
        "localhost",
        "/",
        page=network.national_home.pk,
        referrer="http://localhost/le-reseau/",
    )
    assert Event.objects.get().referrer_host == ""


@pytest.mark.parametrize(
    "case, status",
    [
        ("get", 405),
        ("malformed", 400),
        ("not_an_object", 400),
        ("no_url", 400),
        ("huge", 413),
        ("form_encoded", 415),
        ("bad_page_id", 400),
        ("unknown_page", 404),
        ("draft", 404),
        ("other_site_url", 403),
        ("other_site_page", 404),
        ("cross_origin", 403),
        ("not_http", 400),
        ("huge_page_id", 400),
        ("nested", 400),
        ("nul", 400),
    ],
)
def test_bad_events_are_refused_with_a_reason_and_nothing_stored(network, case, status):
    client = Client()
    irev = network.centres["irev"].home_page

    def post(body, **kw):
        return client.post(
            "/stats/event",
            body,
            content_type=kw.pop("ct", "application/json"),
            HTTP_HOST="localhost",
            HTTP_USER_AGENT=BROWSER,
            **kw,
        )

    draft = network.national_home.add_child(
        instance=type(network.national_home.get_children().get(slug="le-reseau").specific)(
            title="Brouillon", slug="brouillon", live=False
        )
    )
    response = {
        "get": lambda: client.get("/stats/event", HTTP_HOST="localhost"),
        "malformed": lambda: post("{not json"),
        "not_an_object": lambda: post("[1, 2]"),
        "no_url": lambda: post(json.dumps({"referrer": ""})),
        "huge": lambda: post(json.dumps({"url": "http://localhost/", "x": "a" * 10_000})),
        "form_encoded": lambda: post(
            "url=http://localhost/", ct="application/x-www-form-urlencoded"
        ),
        "bad_page_id": lambda: post(json.dumps({"url": "http://localhost/", "page": "1; drop"})),
        "unknown_page": lambda: beacon(client, "localhost", "/nulle-part/"),
        "draft": lambda: beacon(client, "localhost", "/brouillon/", page=draft.pk),
        "other_site_url": lambda: post(
            json.dumps({"url": "http://irev.localhost/", "page": irev.pk})
        ),
        "other_site_page": lambda: beacon(client, "localhost", "/", page=irev.pk),
        "cross_origin": lambda: beacon(
            client,
            "localhost",
            "/",
            page=network.national_home.pk,
            headers={"HTTP_ORIGIN": "https://evil.example"},
        ),
        "not_http": lambda: post(json.dumps({"url": "javascript:alert(1)"})),
        "huge_page_id": lambda: post(json.dumps({"url": "http://localhost/", "page": 10**30})),
        "nested": lambda: post("[" * 4000),
        "nul": lambda: post(json.dumps({"url": "http://localhost/le-reseau/\u0000x"})),
    }[case]()
    assert response.status_code == status
    assert response.content and b"Traceback" not in response.content
    assert "no-store" in response["Cache-Control"]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {
            "HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        },
        {"HTTP_USER_AGENT": ""},
        {"HTTP_DNT": "1"},
        {"HTTP_SEC_GPC": "1"},
    ],
    ids=["bot", "no-agent", "dnt", "gpc"],
)
def test_bots_and_do_not_track_are_dropped_silently(network, headers):
    response = beacon(Client(), "localhost", "/", page=network.national_home.pk, headers=headers)
    assert response.status_code == 204
    assert not Event.objects.exists()


def test_an_admin_user_who_opted_out_is_not_counted_and_others_are(network):
    client = network.client_for("editeur-irev", host="irev.localhost")
    home = network.centres["irev"].home_page
    assert beacon(client, "irev.localhost", "/", page=home.pk).status_code == 204
    assert Event.objects.count() == 1
    client.post("/admin/statistiques/mes-visites/")
    assert ExcludedUser.objects.filter(user__username="editeur-irev").exists()
    assert beacon(client, "irev.localhost", "/", page=home.pk).status_code == 204
    assert Event.objects.count() == 1


@override_settings(STATS_RATE_LIMIT_PER_MINUTE=5)
def test_a_flood_from_one_visitor_is_refused(network, settings):
    import stats.collect

    # One fixed instant: the limit counts per minute, and eight calls may straddle one.
    instant = datetime.now(ZoneInfo("UTC")).replace(second=30)
    with (
        mock.patch.object(stats.collect, "RATE_LIMIT", 5),
        mock.patch.object(stats.collect, "current_time", return_value=instant),
    ):
        statuses = [
            beacon(Client(), "localhost", "/", page=network.national_home.pk).status_code
            for _ in range(8)
        ]
    assert statuses == [204] * 5 + [429] * 3
    assert Event.objects.count() == 5


def test_the_address_comes_from_the_trusted_proxy_header_only_when_configured(network, settings):
    def visitors(*forwarded):
        Event.objects.all().delete()
        for value in forwarded:
            beacon(
                Client(),
                "localhost",
                "/",
                page=network.national_home.pk,
                headers={"HTTP_X_FORWARDED_FOR": value},
            )
        return Event.objects.values("visitor").distinct().count()

    settings.TRUSTED_PROXIES = []
    assert visitors("198.51.100.1", "198.51.100.2") == 1  # the socket's address only
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address: the proxy
    assert visitors("198.51.100.1", "198.51.100.2") == 2
    # A client-supplied first entry is not trusted: the proxy's own (last) entry is.
    assert visitors("1.2.3.4, 198.51.100.1", "5.6.7.8, 198.51.100.1") == 1


def test_one_visitor_has_another_key_on_another_site_and_another_day(network):
    import stats.collect

    def key(host, page, when):
        with mock.patch.object(stats.collect, "current_time", return_value=when):
            beacon(Client(), host, "/", page=page)
        return Event.objects.latest("pk").visitor

    noon = datetime(2026, 6, 10, 12, tzinfo=PARIS)
    national, irev = network.national_home.pk, network.centres["irev"].home_page.pk
    assert key("localhost", national, noon) == key(
        "localhost", national, noon + timedelta(hours=11, minutes=59)
    )
    assert key("localhost", national, noon) != key("irev.localhost", irev, noon)
    assert key("localhost", national, noon) != key(
        "localhost", national, noon + timedelta(hours=12)
    )


def test_salts_rotate_at_midnight_paris_and_are_deleted_after_48_hours(db):
    day = datetime(2026, 6, 10, 0, 0, tzinfo=PARIS)
    first = salt_for(day.date(), day)
    assert salt_for((day + timedelta(days=1)).date(), day + timedelta(days=1)) != first
    assert delete_expired_salts(day + timedelta(hours=47, minutes=59)) == 0
    assert DailySalt.objects.filter(day=day.date()).exists()
    assert delete_expired_salts(day + timedelta(hours=48)) == 1
    assert not DailySalt.objects.filter(day=day.date()).exists()


def test_public_pages_carry_the_beacon_previews_and_other_views_do_not(network, admin_client):
    page = network.national_home.get_children().get(slug="le-reseau")
    html = Client().get("/le-reseau/", HTTP_HOST="localhost").content.decode()
    assert f'data-page="{page.pk}"' in html and "stats/beacon.js" in html
    preview = admin_client.get(f"/admin/pages/{page.pk}/view_draft/", HTTP_HOST="localhost")
    assert preview.status_code == 200 and b"stats/beacon.js" not in preview.content
    privacy = Client().get("/mesure-d-audience/", HTTP_HOST="irev.localhost")
    assert privacy.status_code == 200 and b"stats/beacon.js" not in privacy.content


def test_the_privacy_page_explains_and_offers_the_opt_out_on_every_site(network):
    for host in ("localhost", "irev.localhost", "oriv.localhost"):
        html = Client().get("/mesure-d-audience/", HTTP_HOST=host).content.decode()
        assert "48 heures" in html and "13 mois" in html
        assert 'id="stats-opt-out"' in html and "stats/opt-out.js" in html


@pytest.fixture
def document(network, settings, tmp_path):
    # Files on disk, as in production, so that Wagtail serves them itself.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    Document = get_document_model()
    doc = Document(title="Rapport d'activité", collection=network.centres["irev"].collection)
    doc.file.save("rapport-activite.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    doc.save()
    publish_page_using(doc, network.centres["irev"].home_page)  # public once linked
    return doc


@pytest.mark.parametrize(
    "headers, query, counted",
    [
        ({}, "", True),
        ({"HTTP_RANGE": "bytes=0-1023"}, "", True),
        ({"HTTP_RANGE": "bytes=1024-2047"}, "", False),  # the rest of a download already counted
        ({"HTTP_USER_AGENT": "Googlebot/2.1 (+http://www.google.com/bot.html)"}, "", False),
        ({"HTTP_SEC_GPC": "1"}, "", False),
        ({}, "?stats=non", False),  # the visitor's opt-out, set on links by beacon.js
    ],
)
def test_downloads_are_counted_when_wagtail_serves_the_file(document, headers, query, counted):
    response = Client().get(
        document.url + query,
        **{"HTTP_HOST": "irev.localhost", "HTTP_USER_AGENT": BROWSER, **headers},
    )
    assert response.status_code in (200, 206, 302)
    events = list(Event.objects.values_list("kind", "document_id", "path"))
    assert events == ([("d", document.pk, document.url)] if counted else [])


def test_the_portals_evenement_address_counts_for_the_event_it_serves(network):
    from agenda.models import EventPage

    event = EventPage.objects.live().first()
    other = EventPage.objects.live().exclude(slug=event.slug).first()
    client = Client()
    assert beacon(client, "localhost", f"/evenement/{event.slug}", page=event.pk).status_code == 204
    assert list(Event.objects.values_list("path", "page_id")) == [
        (f"/evenement/{event.slug}", event.pk)
    ]
    # The address of another event is not this page's.
    assert beacon(client, "localhost", f"/evenement/{other.slug}", page=event.pk).status_code == 404
