"""A WordPress post imported with every core block, seen in Chromium: its table (with
header and caption), gallery (images in order) and quote are rendered, the page passes
axe-core, and at 320 px nothing scrolls sideways (a wide table scrolls in its own
focusable region)."""

import io
from pathlib import Path

from django.core.management import call_command

import pytest
from playwright.sync_api import expect

from interop.models import ImportedItem

from ..test_interop_wordpress_blocks import FILES, FIXTURE, OLD_SITE, PDF, png
from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def import_blocks(tmp_path: Path):
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "03").mkdir(parents=True)
    for name, colour in FILES.items():
        (uploads / "2024" / "03" / name).write_bytes(png(colour))
    (uploads / "2024" / "03" / "rapport.pdf").write_bytes(PDF)
    text = FIXTURE.read_text(encoding="utf-8")
    export = tmp_path / "export.xml"
    export.write_text(
        text.replace("NAMESPACE", "https://wordpress.org/export/1.2/").replace(
            "OLD_SITE", OLD_SITE
        ),
        encoding="utf-8",
    )
    call_command(
        "import_wordpress",
        str(export),
        "--site",
        "irev",
        "--no-progress",
        "--uploads",
        str(uploads),
        stdout=io.StringIO(),
    )
    page = ImportedItem.objects.get(origin="wordpress", key="200").page.specific
    return page.get_url_parts()[2]


def test_imported_table_gallery_and_quote_render_accessibly(
    browser, portal, axe_source, tmp_path, subtests
):
    path = import_blocks(tmp_path)
    with browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}) as context:
        page = context.new_page()
        assert page.goto(portal.centre_url("irev", path)).status == 200
        main = page.locator("main")
        table = main.get_by_role("table", name="Participants par année")
        expect(table).to_be_visible()
        expect(table.get_by_role("columnheader")).to_have_text(["Année", "Participants"])
        gallery = main.locator("figure.gallery")
        expect(gallery.get_by_role("img")).to_have_count(2)
        assert [gallery.get_by_role("img").nth(i).get_attribute("alt") for i in range(2)] == [
            "Deuxième photo",
            "Troisième photo",
        ]
        expect(main.locator("figure.quote blockquote").first).to_have_text(
            "La ville se fait avec ses habitants."
        )
        violations = run_axe(page, axe_source)
        assert not violations, describe_violations(violations)

        page.set_viewport_size({"width": 320, "height": 800})
        page.reload()
        with subtests.test("no sideways scrolling at 320 px"):
            assert page.evaluate(OVERFLOW_JS) <= 0
        with subtests.test("the table's region takes the keyboard focus"):
            region = main.locator(".table-wrap")
            region.focus()
            expect(region).to_be_focused()
