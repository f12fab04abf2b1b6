"""Client addresses from trusted proxies only (issue #17): one function,
portal.client.client_address, names the client for the open API's rate limit, the login
lockout and the statistics' visitor key. A forged X-Forwarded-For from a peer that is
not a trusted proxy changes none of them; behind a trusted proxy, the address it
appended does."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory

import pytest

from portal.client import client_address
from stats.models import Event

from .test_settings import PRODUCTION_ENV, shell
from .test_stats_fastpath import call, event_body, wsgi  # noqa: F401  (the lean path's fixture)

LOGIN = "/admin/login/"
PASSWORD = "Un-mot-de-passe-solide-42"


def address(remote, forwarded=None, trusted=()):
    from django.test import override_settings

    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(TRUSTED_PROXIES=list(trusted)):
        return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    "remote, forwarded, trusted, expected",
    [
        # No trusted proxy: the header is ignored, whatever it says.
        ("203.0.113.7", "198.51.100.1", [], "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1", [], "127.0.0.1"),
        # A peer that is not a trusted proxy is the client, header or not.
        ("203.0.113.7", "198.51.100.1", ["127.0.0.1"], "203.0.113.7"),
        # Through the trusted proxy: the address it appended, not what the client wrote.
        ("127.0.0.1", "198.51.100.1", ["127.0.0.1"], "198.51.100.1"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", ["127.0.0.1", "::1"], "198.51.100.1"),
        ("::1", "2001:db8::5", ["127.0.0.1", "::1"], "2001:db8::5"),
        # A chain of trusted proxies (a CDN's network, then nginx): the first untrusted.
        (
            "127.0.0.1",
            "6.6.6.6, 198.51.100.1, 10.1.2.3",
            ["127.0.0.1", "10.0.0.0/8"],
            "198.51.100.1",
        ),
        # Only trusted hops: the farthest one is the client (a proxy's own request).
        ("127.0.0.1", "10.1.2.3", ["127.0.0.1", "10.0.0.0/8"], "10.1.2.3"),
        # No header, an empty one, or garbage where an address should be.
        ("127.0.0.1", None, ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", " , ", ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", "198.51.100.1, pas-une-adresse", ["127.0.0.1"], "127.0.0.1"),
        # An IPv4 client seen through an IPv6 socket.
        ("::ffff:127.0.0.1", "198.51.100.1", ["127.0.0.1"], "198.51.100.1"),
    ],
)
def test_the_client_is_the_first_address_no_trusted_proxy_wrote(
    remote, forwarded, trusted, expected
):
    assert address(remote, forwarded, trusted) == expected


def test_behind_proxy_and_the_old_statistics_header_mean_the_loopback():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXIES)"
    assert shell(code, PRODUCTION_ENV).stdout.strip() == "[]"
    for old in ({"BEHIND_PROXY": "1"}, {"STATS_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR"}):
        result = shell(code, {**PRODUCTION_ENV, **old})
        assert result.stdout.strip() == "['127.0.0.1', '::1']", result.stderr
    given = {**PRODUCTION_ENV, "BEHIND_PROXY": "1", "TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"}
    assert shell(code, given).stdout.strip() == "['10.0.0.0/8', '127.0.0.1']"


# --- the open API's rate limit ----------------------------------------------------------


def api_statuses(settings, remote, forwarded_values):
    settings.INTEROP_API_RATE = "3/min"
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=remote)
    return [
        client.get("/api/v2/events/", HTTP_X_FORWARDED_FOR=value).status_code
        for value in forwarded_values
    ]


def test_a_forged_forwarded_header_does_not_escape_the_api_rate_limit(network, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    forged = ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"]
    assert api_statuses(settings, "203.0.113.7", forged) == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_api_rate_limit(network, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    clients = ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"]
    assert api_statuses(settings, "127.0.0.1", clients) == [200, 200, 200, 200]
    # ... and one client through it is limited, whatever it writes before the proxy.
    one = [f"6.6.6.{n}, 198.51.100.9" for n in range(4)]
    assert api_statuses(settings, "127.0.0.1", one) == [200, 200, 200, 429]


# --- the login lockout ------------------------------------------------------------------


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editeur-test", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def login(username, password, remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return Client(REMOTE_ADDR=remote, **headers).post(
        LOGIN, {"username": username, "password": password}
    )


def test_a_forged_forwarded_header_does_not_escape_the_login_lockout(editor, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for number in range(5):
        login("editeur-test", "mauvais", "203.0.113.7", forwarded=f"198.51.100.{number}")
    assert login("editeur-test", PASSWORD, "203.0.113.7", forwarded="192.0.2.99").status_code == 429


def test_behind_a_trusted_proxy_the_lockout_is_the_clients(editor, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        login("editeur-test", "mauvais", "127.0.0.1", forwarded="198.51.100.1")
    assert login("editeur-test", PASSWORD, "127.0.0.1", forwarded="198.51.100.1").status_code == 429
    assert login("editeur-test", PASSWORD, "127.0.0.1", forwarded="198.51.100.2").status_code == 302


def test_many_user_names_from_one_address_lock_that_address_out(editor, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    # Two wrong passwords on each of four accounts, each under the per-account limit
    # (5): the eighth failure from that address locks the address out...
    statuses = [
        login(name, "mauvais", "203.0.113.7").status_code
        for name in ("alice", "bob", "chloe", "david")
        for _ in range(2)
    ]
    assert statuses == [200] * 7 + [429]
    # ... for every account, even with the right password; another address is not.
    locked = login("editeur-test", PASSWORD, "203.0.113.7")
    assert locked.status_code == 429
    assert login("editeur-test", PASSWORD, "198.51.100.9").status_code == 302


# --- the statistics' visitor key --------------------------------------------------------


def visitors(wsgi, remote, forwarded_values, network):  # noqa: F811
    Event.objects.all().delete()
    body = event_body("localhost", "/", network.national_home.pk)
    for value in forwarded_values:
        assert (
            call(wsgi, "localhost", body, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=value)["status"]
            == 204
        )
    return Event.objects.values("visitor").distinct().count()


def test_a_forged_forwarded_header_is_one_visitor(network, wsgi, settings):  # noqa: F811
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert visitors(wsgi, "203.0.113.7", ["198.51.100.1", "198.51.100.2"], network) == 1


def test_behind_a_trusted_proxy_each_client_is_a_visitor(network, wsgi, settings):  # noqa: F811
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert visitors(wsgi, "127.0.0.1", ["198.51.100.1", "198.51.100.2"], network) == 2
    assert (
        visitors(wsgi, "127.0.0.1", ["6.6.6.6, 198.51.100.1", "7.7.7.7, 198.51.100.1"], network)
        == 1
    )
