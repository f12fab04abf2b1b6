"""An event with its cover image, in a real browser: Chromium picks an AVIF or WebP
source, the picture takes the room its width and height announce before it loads (no
layout shift), axe-core finds nothing, and nothing scrolls sideways on a 320 px screen;
the agenda's card shows the same cover, lazily loaded."""

from datetime import timedelta

from django.utils import timezone

import pytest

from centres.models import Centre

from ..test_agenda_helpers import agenda_of, make_event
from ..test_covers import make_image
from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
IMAGE_JS = """sel => { const img = document.querySelector(sel);
    return {complete: img.complete, natural: img.naturalWidth, current: img.currentSrc,
            ratio: img.getBoundingClientRect().width / img.getBoundingClientRect().height,
            loading: img.loading}; }"""


def test_an_event_page_with_its_cover(portal, browser, axe_source):
    irev = Centre.objects.get(slug="irev")
    event = make_event(
        agenda_of(irev.home_page),
        "Rencontre en images",
        organisers=[irev],
        start_date=timezone.localdate() + timedelta(days=3),
        cover_image=make_image(irev.collection, "Affiche", size=(1200, 675)),
        cover_alt="Des habitants réunis sur une place",
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    try:
        page.goto(portal.centre_url("irev", f"/agenda/{event.slug}/"))
        head = "main picture.cover--head img"
        page.wait_for_function(f"() => document.querySelector('{head}').complete", timeout=15_000)
        image = page.evaluate(IMAGE_JS, head)
        # Chromium chose a modern format from the sources (the test server does not
        # serve media files: the box is what the width and height attributes reserve).
        assert image["current"].endswith((".avif", ".webp")), image
        assert abs(image["ratio"] - 16 / 9) < 0.02, image
        assert page.get_by_role("img", name="Des habitants réunis sur une place").count() == 1
        violations = run_axe(page, axe_source)
        assert not violations, describe_violations(violations)
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate(OVERFLOW_JS) <= 0

        # The card, lazily loaded, keeps its 16:9 box before its image arrives.
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(portal.centre_url("irev", "/agenda/"))
        card = "main .event-card picture.cover--card img"
        box = page.evaluate(IMAGE_JS, card)
        assert box["loading"] == "lazy" and abs(box["ratio"] - 16 / 9) < 0.05, box
        violations = run_axe(page, axe_source)
        assert not violations, describe_violations(violations)
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate(OVERFLOW_JS) <= 0
    finally:
        page.close()
