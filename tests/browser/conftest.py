"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live
server, the demo network seeded on it.

Playwright never downloads a browser here: it launches /usr/bin/chromium. If Chromium or
axe-core (installed from npm) is missing, the tests fail, they do not skip: `make test`
installs both."""

import os
from pathlib import Path

import pytest

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
