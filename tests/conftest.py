"""Shared fixtures. The whole demo network is seeded once per test session (the same
command as the README's first command), then every test runs in a transaction that
is rolled back, so tests see the 20 sites without paying for them each time."""

from django.contrib.auth import get_user_model
from django.test import Client

from wagtail.models import Site

import pytest

from centres.models import Centre
from demo.seed.network import seed_network

NATIONAL_HOST = "localhost"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_network()


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached fragments are keyed by the content version, which a rolled-back test can
    reuse: every test starts with an empty cache."""
    from django.core.cache import cache

    from search import table
    from stats import maps

    cache.clear()
    maps.forget()  # the beacon's in-process maps, keyed by that version too
    table.forget()  # the search's in-process table, likewise
    yield


@pytest.fixture
def network(db):
    """The seeded network, as a small namespace tests can read."""

    class Network:
        centres = {c.slug: c for c in Centre.objects.select_related("home_page", "collection")}
        national_site = Site.objects.get(is_default_site=True)
        national_home = national_site.root_page.specific

        @staticmethod
        def user(username):
            return get_user_model().objects.get(username=username)

        @staticmethod
        def client_for(username, host=NATIONAL_HOST):
            client = Client(HTTP_HOST=host)
            client.force_login(get_user_model().objects.get(username=username))
            return client

    return Network


def host_of(centre) -> str:
    return f"{centre.slug}.localhost"
