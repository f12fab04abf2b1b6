"""Shared fixtures. The whole demo network is seeded once per run (the same command as
the README's first command) into a template that each worker copies (`seeded_db`), then
every test runs in a transaction that is rolled back, so tests see the 20 sites without
paying for them each time."""

from django.contrib.auth import get_user_model
from django.test import Client

from wagtail.models import Site

import pytest

from centres.models import Centre
from demo.seed.network import seed_network

from . import schedule, seeded_db

NATIONAL_HOST = "localhost"


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """Replaces pytest-django's: the test database is a copy of the run's seeded
    template rather than migrated and seeded again in each worker."""
    run = seeded_db.run_id(request.config)
    with django_db_blocker.unblock():
        seeded_db.setup(run, seed_network)
    yield
    with django_db_blocker.unblock():
        seeded_db.teardown_worker()


def pytest_configure(config):
    seeded_db.start_run()


def pytest_collection_modifyitems(session, config, items):
    items[:] = schedule.order(items)  # what xdist's workers run first (tests/schedule.py)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A browser test's database restore drops the worker's database WITH (FORCE)
    (tests/seeded_db.py): a connection that escaped its `close_all()` (opened in another
    context) is dead afterwards, and the next test's first query would fail with
    "terminating connection due to administrator command" (seen twice in CI). Such a
    connection is closed here, before the next test's fixtures open their transaction."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor == "postgresql"
            and connection.connection is not None
            and not connection.in_atomic_block
            and not connection.is_usable()
        ):
            connection.close()


def pytest_terminal_summary(terminalreporter):
    """The generated-input tests' count (tests/test_generated_input.py), from every
    worker's reports: e.g. "generated input: 4213 requests, 0 × 5xx"."""
    sent = failed = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            properties = dict(getattr(report, "user_properties", ()) or ())
            sent += properties.get("generated_requests", 0)
            failed += properties.get("generated_5xx", 0)
    if sent:
        terminalreporter.write_line(f"generated input: {sent} requests, {failed} × 5xx")
    # Other figures a test records as its "summary" property (the generated iCalendar
    # files): xdist's workers' own output is not shown.
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "summary" and report.when == "call":
                terminalreporter.write_line(f"{report.nodeid}: {value}")


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):  # the controller, or a run without xdist
        seeded_db.drop_template(seeded_db.run_id(session.config))


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


@pytest.fixture
def empty_showcase(db):
    """The demo seed puts some centres' items on the national front page and two in the
    coordination's queue; tests of the showcase start from an empty queue and page."""
    from showcase.models import Proposal

    Proposal.objects.all().delete()


def host_of(centre) -> str:
    return f"{centre.slug}.localhost"


# --- The live server (browser tests, harvesters) -----------------------------------


class Portal:
    """Addresses on the live server: the national portal on localhost, each centre on
    <slug>.localhost (Chromium resolves *.localhost to the loopback, and Wagtail matches
    the Site by host name whatever the port)."""

    def __init__(self, live_server):
        self.port = live_server.url.rsplit(":", 1)[1]

    def url(self, path="/", host="localhost"):
        return f"http://{host}:{self.port}{path}"

    def centre_url(self, slug, path="/"):
        return self.url(path, host=f"{slug}.localhost")


@pytest.fixture(scope="session")
def live_portal(django_db_setup, django_db_blocker):
    """One live server per worker for every browser test (not pytest-django's
    `live_server`, which makes each test transactional: flushed, then seeded again)."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def portal(request, live_portal, django_db_blocker):
    """The live server on the seeded network. The test and the server's threads write
    to the database for real; the seeded state is copied back afterwards, so each
    browser test starts from it whatever the one before did (tests/seeded_db.py)."""
    if {"db", "transactional_db", "network"} & set(request.fixturenames):
        pytest.fail(
            "`portal` commits for real and restores the database afterwards: a test using "
            "it cannot also hold the rolled-back transaction of `db`/`network`.",
            pytrace=False,
        )
    with django_db_blocker.unblock():
        yield Portal(live_portal)
        seeded_db.restore(seeded_db.run_id(request.config))
