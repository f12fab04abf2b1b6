"""Documents uploaded for publications, through the admin as an editor would: what is
accepted, what is refused (and said so in French), and the name a reader downloads."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from wagtail.documents import get_document_model

import pytest

from publications.models import PublicationDocument

from .reads_fixtures import publish_page_using
from .test_publications_helpers import library_of, make_publication

pytestmark = pytest.mark.django_db

Document = get_document_model()
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def upload(client, title, name, content=PDF, content_type="application/pdf", **extra):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("wagtaildocs:add"), {"title": title, "file": file, **extra})


def errors_of(response):
    return [html.unescape(str(e)) for e in response.context["form"].errors.get("file", [])]


@pytest.fixture
def on_disk(settings, tmp_path):
    """The production storage (files on disk, names kept), in a throw-away folder: the
    download is then served as in production, with its Content-Disposition."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_editor_uploads_a_pdf_into_the_centre_collection(network):
    irev = network.centres["irev"]
    response = upload(network.client_for("editeur-irev"), "Rapport annuel", "rapport-annuel.pdf")
    assert response.status_code == 302
    document = Document.objects.get(title="Rapport annuel")
    assert document.collection == irev.collection
    assert document.filename == "rapport-annuel.pdf"
    assert document.uploaded_by_user.username == "editeur-irev"


def plain(text):
    """Messages with ordinary spaces and apostrophes, to read them as a person would."""
    return " ".join(text.replace("\xa0", " ").replace("’", "'").split())


@pytest.mark.parametrize("name", ["outil.exe", "page.html", "script.js", "rapport.pdf.exe"])
def test_a_file_of_a_refused_kind_is_refused_in_french(network, name):
    before = Document.objects.count()
    response = upload(
        network.client_for("editeur-irev"),
        "Interdit",
        name,
        b"MZ\x90\x00",
        content_type="application/octet-stream",
    )
    assert response.status_code == 200
    (message,) = map(plain, errors_of(response))
    extension = name.rsplit(".", 1)[1]
    assert message == (
        f"L'extension de fichier « {extension} » n'est pas autorisée. Les "
        "extensions autorisées sont : pdf, odt, ods, odp, doc, docx, xls, xlsx, "
        "ppt, pptx, csv, txt, zip, epub."
    )
    assert Document.objects.count() == before


OVERSIZED = PDF + b"0" * 2048
SIZE_MESSAGE = "Ce fichier est trop gros (2,0 Kio). La taille de fichier maximale est de 1,0 Kio."


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_a_file_over_the_size_limit_is_refused_in_french(network):
    before = Document.objects.count()
    client = network.client_for("editeur-irev")
    response = upload(client, "Trop lourd", "lourd.pdf", OVERSIZED)
    assert response.status_code == 200
    assert SIZE_MESSAGE in map(plain, errors_of(response))
    assert Document.objects.count() == before
    # Under the limit, the same editor's upload goes through.
    assert upload(client, "Léger", "leger.pdf").status_code == 302


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_the_multiple_upload_refuses_an_oversized_file_too(network):
    before = Document.objects.count()
    file = SimpleUploadedFile("lourd.pdf", OVERSIZED, content_type="application/pdf")
    response = network.client_for("editeur-irev").post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": file},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert plain(response.json()["error_message"]).startswith(SIZE_MESSAGE)
    assert Document.objects.count() == before


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
def test_an_oversized_pdf_is_refused_for_its_size_only(network):
    response = upload(network.client_for("editeur-irev"), "Trop lourd", "lourd.pdf", OVERSIZED)
    assert list(map(plain, errors_of(response))) == [SIZE_MESSAGE]


def test_two_uploads_named_alike_both_download_under_that_name(network, on_disk):
    client = network.client_for("editeur-irev")
    for title in ("Rapport 2023", "Rapport 2024"):
        assert upload(client, title, "rapport.pdf").status_code == 302
    first, second = Document.objects.filter(title__in=["Rapport 2023", "Rapport 2024"]).order_by(
        "title"
    )
    assert first.file.name != second.file.name  # two files on disk...
    assert first.filename == second.filename == "rapport.pdf"  # ...one name for readers
    assert (on_disk / first.file.name).read_bytes() == PDF
    for index, document in enumerate((first, second)):
        # Public once a published page links to it (docs/permissions.md).
        publish_page_using(document, network.centres["irev"].home_page, f"rapport-{index}")
        assert document.url.endswith("/rapport.pdf")
        response = Client(HTTP_HOST="irev.localhost").get(document.url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'inline; filename="rapport.pdf"'
        assert b"".join(response.streaming_content) == PDF


def test_a_publication_offers_its_documents_for_download(network, on_disk):
    irev = network.centres["irev"]
    client = network.client_for("editeur-irev")
    assert upload(client, "Synthèse habitat", "synthese-habitat.pdf").status_code == 302
    document = Document.objects.get(title="Synthèse habitat")
    page = make_publication(library_of(irev.home_page), "Habitat et quartiers", authors=[irev])
    page.documents = [PublicationDocument(document=document, label="La synthèse (12 pages)")]
    page.save_revision().publish()
    body = Client(HTTP_HOST="irev.localhost").get(page.url).content.decode()
    link = re.search(rf'<a href="{re.escape(document.url)}" download>(.*?)</a>', body, re.S)
    assert link, body
    # The label, then the format and size, all in the link (its accessible name).
    assert '<span class="download__title">La synthèse (12 pages)</span>' in html.unescape(
        link.group(1)
    )
    assert re.search(
        r'<span class="download__meta">PDF – [\d,]+\xa0(octets|Kio)</span>', link.group(1)
    )
