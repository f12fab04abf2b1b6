"""A working group's joint publication end to end, in Chromium: `gt-sante`, an editor of
the Santé group's pilot centre and a member of "Groupe de travail · Santé", logs in to
the Wagtail admin, adds a publication under the group's page (kind "Publication" from
the managed list, date, summary, a theme, co-signed by the pilot and two other member
centres) with a PDF uploaded through the document chooser's "Transférer" tab into the
group's collection, and publishes it. Then, as an anonymous visitor with JavaScript
off, the publication is listed on the group's page, in the national library filtered
by the group with the GET form, and in each co-signing centre's library (not in the
library of a member centre that did not sign it); its page links to the PDF under its
original file name, with format and size, and the link serves those bytes under that
name. axe-core finds nothing to report on the pages a visitor goes through.

Documents are stored on disk (in the test's tmp_path) rather than in the test settings'
in-memory storage: Wagtail serves a file it has a path for through sendfile, which names
it in Content-Disposition, as in production. From memory it answers a bare "inline"."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from django.conf import settings as django_settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format

from wagtail.models import Collection

import pytest
from playwright.sync_api import expect

from demo.seed.library import GROUP_PREFIX
from demo.seed.network import DEMO_PASSWORD
from publications.models import PublicationPage, WorkingGroupPage

from .axe import describe_violations, run_axe

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
GROUP = "sante"
MEMBER = f"gt-{GROUP}"
KIND = "Publication"

TITLE = "Santé mentale des jeunes dans les quartiers : repères communs"
SUMMARY = (
    "Ce que trois centres du groupe Santé retiennent de deux ans de travail avec les "
    "ateliers santé ville sur la santé mentale des jeunes."
)
THEME = "prévention"
PDF_NAME = "sante-mentale-jeunes-quartiers.pdf"
DOCUMENT_TITLE = "Santé mentale des jeunes : le rapport"
DOCUMENT_LABEL = "Le rapport complet"


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF 1.4 with a line of (ASCII) text, its cross-reference table exact."""
    content = b"BT /F1 18 Tf 72 770 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def public_path(page) -> str:
    """A page's path on its own site (the live server's port is not the Site's)."""
    return urlsplit(page.get_full_url()).path


def signatories(group):
    """The pilot centre (gt-sante edits it) and two other members of the group, those
    that sign no other publication of the group: their libraries list the group's work
    only because of this one."""
    pilot = group.pilots.get()
    signed = PublicationPage.objects.filter(working_group=group, authors__isnull=False).values(
        "authors"
    )
    others = list(group.members.exclude(pk=pilot.pk).exclude(pk__in=signed).order_by("slug"))
    assert len(others) >= 3, f"the demo's {group.title} group is too small now: {others}"
    # The last one is a member that does not sign: its library must not list it.
    return [pilot, *others[:2]], others[-1]


# --- the group member, in the Wagtail admin ---------------------------------------------


def log_in(page, portal):
    page.goto(portal.url("/admin/login/"))
    page.locator("#id_username").fill(MEMBER)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    expect(page).to_have_url(portal.url("/admin/"))


def fail_with_form_errors(page, what):
    shot = f"/tmp/library-{what}.png"
    page.screenshot(path=shot, full_page=True)
    errors = page.locator(".error-message, .w-field__errors, .messages, .help-critical")
    messages = [text for text in errors.all_inner_texts() if text.strip()]
    pytest.fail(f"{what} failed ({page.url}, {shot}): {messages}", pytrace=False)


def publish(page, group):
    """The footer's action menu, then "Publier"; Wagtail then shows the group's listing.
    On a validation error the form stays: report its messages."""
    page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name="Publier", exact=True).click()
    try:
        expect(page).to_have_url(re.compile(rf"/admin/pages/{group.pk}/$"))
    except AssertionError:
        fail_with_form_errors(page, "publishing")


def choose_kind(page, name):
    """The kind is a snippet of the managed list: a chooser modal."""
    page.get_by_role("button", name="Choisir nature de ressource").click()
    modal = page.get_by_role("dialog")
    choices = modal.locator("[data-chooser-modal-choice]")
    expect(choices.first).to_be_visible()
    choices.filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")).click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_kind")).not_to_have_value("")


def upload_document(page, pdf_path, collection):
    """A new row in the "documents à télécharger" inline, then the document chooser's
    upload tab: the file, its title, the group's collection."""
    page.get_by_role("button", name="Ajouter un(e) documents à télécharger").click()
    row = page.locator("#id_documents-FORMS > [id^='inline_child_documents-']").last
    expect(row.locator("#id_documents-0-document")).to_be_attached()
    row.get_by_role("button", name="Choisir un document").click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("tab", name="Transférer").click()
    upload = modal.locator("form[data-chooser-modal-creation-form]")
    expect(upload).to_be_visible()
    upload.get_by_label("Fichier").set_input_files(str(pdf_path))
    # Wagtail fills the title in from the file name; a reader's title replaces it.
    title = upload.get_by_label("Titre")
    expect(title).not_to_have_value("")
    title.fill(DOCUMENT_TITLE)
    upload.get_by_label("Collection").select_option(str(collection.pk))
    upload.get_by_role("button", name="Transférer").click()
    try:
        expect(modal).to_be_hidden()
    except AssertionError:
        fail_with_form_errors(page, "document-upload")
    expect(row.locator("#id_documents-0-document")).not_to_have_value("")
    expect(row.locator("#id_documents-0-document-title")).to_have_text(DOCUMENT_TITLE)
    row.locator("#id_documents-0-label").fill(DOCUMENT_LABEL)


def create_publication(page, portal, group, authors, day, pdf_path, collection):
    # The group's page in the admin, "add a child page", then the page type (a group's
    # space also takes events).
    page.goto(portal.url(f"/admin/pages/{group.pk}/"))
    expect(page.locator("h1")).to_contain_text(group.title)
    page.get_by_role("link", name="Ajouter une sous-page", exact=True).first.click()
    page.get_by_role("link", name="Publication", exact=True).click()
    expect(page).to_have_url(
        re.compile(rf"/admin/pages/add/publications/publicationpage/{group.pk}/(#.*)?$")
    )

    page.locator("#id_title").fill(TITLE)
    choose_kind(page, KIND)
    page.locator("#id_publication_date").fill(day.strftime(django_settings.WAGTAIL_DATE_FORMAT))
    page.keyboard.press("Escape")  # closes the date picker
    page.locator("#id_summary").fill(SUMMARY)
    upload_document(page, pdf_path, collection)
    checkboxes = page.locator("#id_authors")
    for centre in authors:
        checkboxes.get_by_label(centre.name, exact=True).check()
    tag_input = page.locator(".w-field__input:has(#id_tags) ul.tagit input")
    tag_input.fill(THEME)
    tag_input.press("Enter")
    expect(page.locator("#id_tags")).to_have_value(THEME)
    publish(page, group)
    expect(page.locator(".messages")).to_contain_text(TITLE)


def check_stored(group, authors, day, pdf_bytes, collection):
    publication = PublicationPage.objects.get(title=TITLE)
    assert publication.live and not publication.has_unpublished_changes
    assert publication.get_parent().pk == group.pk
    assert publication.working_group_id == group.pk, publication.working_group
    assert publication.kind.name == KIND
    assert publication.publication_date == day
    assert publication.summary == SUMMARY
    assert sorted(c.slug for c in publication.authors.all()) == sorted(c.slug for c in authors)
    assert [tag.name for tag in publication.tags.all()] == [THEME]
    (item,) = publication.documents.select_related("document__collection")
    document = item.document
    assert item.label == DOCUMENT_LABEL and document.title == DOCUMENT_TITLE
    assert document.filename == PDF_NAME, document.file.name
    assert document.collection_id == collection.pk, document.collection
    with document.open_file() as stored:
        assert stored.read() == pdf_bytes
    return publication, document


# --- the visitor ------------------------------------------------------------------------


def card(page, title=TITLE):
    return page.locator("ul.cards > li.publication-card").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )


def expect_card(page, publication, group, authors):
    item = card(page)
    expect(item).to_have_count(1)
    expect(item.get_by_role("link")).to_have_attribute(
        "href", re.compile(re.escape(public_path(publication)) + "$")
    )
    with translation.override("fr"):
        month = date_format(publication.publication_date, "F Y")
    expect(item).to_contain_text(f"{KIND} · {month}")
    expect(item).to_contain_text(f"Groupe de travail {group.title}")
    for centre in authors:
        expect(item).to_contain_text(centre.name)


def check_group_page(page, portal, publication, group, authors):
    page.goto(portal.url(public_path(group)))
    assert public_path(group) == f"/groupes-de-travail/{GROUP}/", public_path(group)
    expect(page.locator("main h1")).to_have_text(f"Groupe de travail {group.title}")
    section = page.locator("section[aria-labelledby='publications-title']")
    expect(section.get_by_role("heading", name="Publications du groupe")).to_be_visible()
    # The newest first: today's publication heads the group's list.
    expect(section.locator("li.publication-card").first.get_by_role("link")).to_have_text(TITLE)
    expect_card(page, publication, group, authors)


def filter_national_library(page, portal, publication, group, authors):
    """The national library narrowed to the group with the form, JavaScript off.
    Returns the filtered address."""
    page.goto(portal.url("/ressources/"))
    form = page.locator("form.filters")
    form.get_by_label("Groupe de travail").select_option(GROUP)
    form.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"/ressources/\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("group") == [GROUP], page.url
    expect(form.get_by_label("Groupe de travail")).to_have_value(GROUP)
    expect(form.get_by_label("Groupe de travail").locator("option:checked")).to_have_text(
        re.compile(rf"^{re.escape(group.title)} \(\d+\)$")
    )
    expect_card(page, publication, group, authors)
    # Nothing but the group's publications, all of them.
    count = PublicationPage.objects.live().public().filter(working_group=group).count()
    expect(page.locator("#results-title")).to_have_text(f"{count} ressources")
    cards = page.locator("ul.cards > li.publication-card")
    expect(cards).to_have_count(count)
    for text in cards.all_inner_texts():
        assert f"Groupe de travail {group.title}" in text, f"not the group's: {text}"
    expect(page.get_by_role("link", name="Effacer les filtres")).to_be_visible()
    return page.url


def check_centre_libraries(page, portal, publication, group, authors, outsider):
    for centre in authors:
        page.goto(portal.centre_url(centre.slug, "/ressources/"))
        expect(page.locator("header .site-name")).to_have_text(centre.name)
        expect_card(page, publication, group, authors)
    # A member of the group that did not sign it does not list it.
    page.goto(portal.centre_url(outsider.slug, "/ressources/"))
    expect(page.locator("header .site-name")).to_have_text(outsider.name)
    expect(page.locator("ul.cards > li.publication-card").first).to_be_visible()
    expect(card(page)).to_have_count(0)


def check_publication_page(page, context, portal, publication, group, authors, document, pdf_bytes):
    # From the group's page, as a reader would.
    page.goto(portal.url(public_path(group)))
    card(page).get_by_role("link").click()
    expect(page).to_have_url(portal.url(public_path(publication)))
    expect(page.locator("main h1")).to_have_text(TITLE)
    expect(page.locator("main .lead")).to_have_text(SUMMARY)
    with translation.override("fr"):
        day = date_format(publication.publication_date, "j F Y")
        size = filesizeformat(len(pdf_bytes))
    expect(page.locator("article p.meta").first).to_have_text(f"{KIND} · {day}")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(", ".join(c.name for c in publication.authors.all()))
    expect(facts.get_by_role("link", name=group.title)).to_have_attribute(
        "href", re.compile(re.escape(public_path(group)) + "$")
    )
    expect(facts).to_contain_text(THEME)

    downloads = page.get_by_role("region", name="Télécharger")
    # The link's name is the label, then the file's format and size.
    link = downloads.get_by_role("link", name=re.compile("^" + re.escape(DOCUMENT_LABEL)))
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", document.url)
    assert document.url.endswith("/" + PDF_NAME), document.url
    expect(link).to_have_attribute("download", "")
    expect(downloads.locator("li")).to_contain_text(DOCUMENT_LABEL)
    expect(downloads.locator("li")).to_contain_text(f"PDF – {size}")

    url = urljoin(page.url, link.get_attribute("href"))
    response = context.request.get(url)
    assert response.status == 200, (url, response.status)
    assert response.body() == pdf_bytes, f"{url} does not serve the uploaded PDF"
    assert response.headers["content-type"] == "application/pdf", response.headers
    disposition = response.headers.get("content-disposition", "")
    filename = re.search(r'filename="?([^";]+)"?', disposition)
    assert filename and filename.group(1) == PDF_NAME, (
        f"Content-Disposition {disposition!r} does not name the file {PDF_NAME}"
    )


def check_axe(page, portal, axe_source, pages):
    report = []
    for what, url in pages:
        response = page.goto(url)
        problems = [] if response.status == 200 else [f"HTTP {response.status}"]
        violations = run_axe(page, axe_source)
        if violations:
            problems.append("axe-core violations:\n" + describe_violations(violations))
        if problems:
            report.append(f"{what} ({url}):\n  " + "\n  ".join(problems))
    if report:
        pytest.fail("Accessibility problems:\n" + "\n".join(report), pytrace=False)


def test_joint_publication_from_group_space_to_libraries(
    browser, portal, axe_source, subtests, settings, tmp_path
):
    """One live-server test (each one ends with a flush and the next seeds again). The
    admin part must succeed; the visitor's checks are subtests, all reported."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    }
    pdf_bytes = minimal_pdf("Sante mentale des jeunes dans les quartiers")
    pdf_path = tmp_path / PDF_NAME
    pdf_path.write_bytes(pdf_bytes)

    group = WorkingGroupPage.objects.get(slug=GROUP)
    collection = Collection.objects.get(name=GROUP_PREFIX + group.title)
    authors, outsider = signatories(group)
    day = timezone.localdate()  # the newest publication: first in every listing

    with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
        page = context.new_page()
        log_in(page, portal)
        create_publication(page, portal, group, authors, day, pdf_path, collection)
    publication, document = check_stored(group, authors, day, pdf_bytes, collection)

    filtered = None
    with browser.new_context(
        java_script_enabled=False, locale="fr-FR", viewport=VIEWPORT
    ) as context:
        page = context.new_page()
        with subtests.test("listed on the working group's page"):
            check_group_page(page, portal, publication, group, authors)
        with subtests.test("national library filtered by the group, without JavaScript"):
            filtered = filter_national_library(page, portal, publication, group, authors)
        with subtests.test("listed in each co-signing centre's library, only theirs"):
            check_centre_libraries(page, portal, publication, group, authors, outsider)
        with subtests.test("publication page: download under the original file name"):
            check_publication_page(
                page, context, portal, publication, group, authors, document, pdf_bytes
            )

    # The form's own address, else the same filter written by hand.
    filtered = filtered or portal.url(f"/ressources/?group={GROUP}")
    with browser.new_context(locale="fr-FR", viewport=VIEWPORT) as context:
        page = context.new_page()
        with subtests.test("axe-core on the group, library and publication pages"):
            check_axe(
                page,
                portal,
                axe_source,
                [
                    ("working group page", portal.url(public_path(group))),
                    ("national library filtered by group", filtered),
                    ("centre library", portal.centre_url(authors[1].slug, "/ressources/")),
                    ("publication page", portal.url(public_path(publication))),
                ],
            )
