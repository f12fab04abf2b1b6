"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live
server, the demo network seeded on it.

Playwright never downloads a browser here: it launches /usr/bin/chromium. If Chromium or
axe-core (installed from npm) is missing, the tests fail, they do not skip: `make test`
installs both."""

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

import pytest

from demo.seed.network import seed_network

# Nothing here calls `playwright install`; should anything try, it must not download.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require(path: Path, what: str):
    if not path.exists():
        pytest.fail(
            f"{what} is missing ({path}). Run `make test`: it installs Debian's chromium "
            "and axe-core (npm ci) before running the suite.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def axe_source() -> Path:
    _require(AXE, "axe-core")
    return AXE


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for this folder's tests: starting it is the slow part.
    Package scope, not session: Playwright's event loop must not outlive these tests."""
    _require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    # Between calls the sync API leaves its asyncio loop marked as running in this
    # thread, and Django's ORM then refuses to run here (the fixtures' seeding,
    # pytest-django's flush). The ORM calls stay synchronous: the flag only lifts the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _ensure_tree_roots():
    """What Wagtail's migrations create and a transactional test's flush removes: the
    default locale, the root page and the root collection, which the seed builds on."""
    if Page.get_first_root_node() is not None:
        return
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    Page.add_root(instance=Page(title="Root", slug="root", url_path="/"))
    Collection.add_root(name="Root")


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


@pytest.fixture
def portal(live_server, transactional_db):
    """The live server with the network seeded. Live-server tests are transactional and
    pytest-django flushes the database after each one, so the session's seed may be gone
    (an earlier transactional test flushed it). Seeding is idempotent: a fraction of a
    second when the session's seed is still there, several seconds after a flush, which
    is why the browser checks share one test."""
    with transaction.atomic():
        _ensure_tree_roots()
    seed_network()
    return Portal(live_server)
