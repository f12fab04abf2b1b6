"""`make screenshots`: what visitors see, at 1280 and 375 pixels wide, written to
docs/screenshots/<page>-<width>.png for reviewers.

Serves the seeded demo database (`make setup`) with `manage.py runserver` on a free port
of the loopback, drives Debian's Chromium through Playwright (never a downloaded
browser), and prints what it took and what it could not. A page to add is one more
`Shot` in SHOTS: a fixed address, or a function that finds one in the database (None,
with the reason, when the demo has none yet: the page is then listed as not taken).

Each picture is the top of the page (at most MAX_HEIGHT pixels), reduced to 256 colours:
well under 300 KB, enough to judge a layout. Also reported: any page wider than its
window at 375 and 320 pixels (sideways scrolling)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = (1280, 375)
MAX_HEIGHT = {1280: 1800, 375: 2400}
MAX_BYTES = 300 * 1024
OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
EAGER_JS = "() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"


@dataclass
class Shot:
    name: str
    # (host slug or None for the national portal, path), or a function returning that
    # or a reason (str) when the demo has no such page.
    where: tuple[str | None, str] | Callable[[], tuple[str | None, str] | str]


def centre_page(model_path: str, **filters):
    """A function finding a live page of that model on IREV's site (the demo's
    fullest), with what it must have (e.g. a cover)."""

    def find():
        from django.apps import apps

        from centres.models import Centre

        try:
            model = apps.get_model(model_path)
        except LookupError:
            return f"{model_path} does not exist yet"
        centre = Centre.objects.filter(slug="irev").first()
        if centre is None:
            return "no IREV centre in the database (run `make setup`)"
        page = (
            model.objects.live()
            .descendant_of(centre.home_page)
            .filter(**filters)
            .order_by("-pk")
            .first()
        )
        if page is None:
            return f"no live {model_path} on IREV's site matching {filters}"
        return "irev", "/" + page.url_path.removeprefix(centre.home_page.url_path)

    return find


SHOTS = [
    Shot("national-home", (None, "/")),
    Shot("centre-home", ("irev", "/")),
    Shot("event", centre_page("agenda.EventPage", cover_image__isnull=False)),
    Shot("publication", centre_page("publications.PublicationPage", documents__isnull=False)),
    # IREV's open offer, which the demo gives a cover (its closed one has none).
    Shot("offer", centre_page("offers.OfferPage", cover_image__isnull=False)),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"the server did not answer at {url} within {timeout} s")


def compress(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = BytesIO()
    small.save(out, "PNG", optimize=True)
    return out.getvalue()


def resolve(shot):
    where = shot.where() if callable(shot.where) else shot.where
    return where


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    taken, missing, problems = [], [], []
    try:
        wait_until_up(f"http://localhost:{port}/health/")
        OUT.mkdir(parents=True, exist_ok=True)
        # Addresses found before the browser starts (Django's ORM refuses to run inside
        # Playwright's event loop).
        planned = []
        for shot in SHOTS:
            where = resolve(shot)
            if isinstance(where, str):
                missing.append((shot.name, where))
            else:
                planned.append((shot, where))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for shot, (slug, path) in planned:
                host = f"{slug}.localhost" if slug else "localhost"
                url = f"http://{host}:{port}{path}"
                for width in (*WIDTHS, 320):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    # The first visit makes the images' renditions: it may take a while.
                    page.set_default_timeout(120_000)
                    response = page.goto(url, wait_until="load")
                    if response is None or response.status != 200:
                        status = response.status if response else None
                        problems.append(f"{shot.name}: {url} answered {status}")
                    overflow = page.evaluate(OVERFLOW_JS)
                    if overflow > 0:
                        problems.append(f"{shot.name}, {width} px: scrolls {overflow} px sideways")
                    if width in WIDTHS:
                        # Cards' images load when scrolled to: all of them, for the picture.
                        page.evaluate(EAGER_JS)
                        page.wait_for_load_state("networkidle")
                        height = min(
                            page.evaluate("() => document.documentElement.scrollHeight"),
                            MAX_HEIGHT[width],
                        )
                        png = page.screenshot(
                            full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
                        )
                        data = compress(png)
                        target = OUT / f"{shot.name}-{width}.png"
                        target.write_bytes(data)
                        if len(data) > MAX_BYTES:
                            problems.append(f"{target.name}: {len(data) // 1024} KB")
                        taken.append(f"{target.relative_to(ROOT)}  {len(data) // 1024} KB  ← {url}")
                    page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print("Taken:")
    for line in taken:
        print(f"  {line}")
    if missing:
        print("NOT taken:")
        for name, reason in missing:
            print(f"  {name}: {reason}")
    if problems:
        print("Problems:")
        for problem in problems:
            print(f"  {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
