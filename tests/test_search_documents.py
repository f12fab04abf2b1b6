"""Documents' text in the search (`portal.document_text`): extracted from PDF, DOCX and
ODT after the upload (a django_tasks task, run at once by the default immediate
backend), bounded in size and time, never raising into the upload, searched with the
attaching page, the matching passage in the excerpt. The files are generated here: a
minimal PDF written byte by byte (read back by pypdf), DOCX and ODT as zip files."""

import io
import re
import zipfile

from django.core.files.base import ContentFile

from wagtail.documents.models import Document

import pytest

from portal import document_text
from portal.models import DocumentText
from portal.tasks import pending
from publications.models import PublicationDocument

from .task_worker import run_tasks
from .test_publications_helpers import library_of, make_publication
from .test_search_page import get, titles

pytestmark = pytest.mark.django_db


def pdf_bytes(*lines: str) -> bytes:
    """A one-page PDF showing `lines` (Helvetica, WinAnsi: Latin-1 text)."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
        for line in lines
    )
    stream += " ET"
    content = stream.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def zipped(member: str, xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(member, xml)
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return zipped(
        "word/document.xml",
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>",
    )


def odt_bytes(*paragraphs: str) -> bytes:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    return zipped(
        "content.xml",
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>",
    )


def upload(name: str, data: bytes, capture) -> Document:
    """A document uploaded and committed, then the queued extraction run (the worker's
    part, here in the test's transaction)."""
    with capture(execute=True):
        document = Document.objects.create(title=name, file=ContentFile(data, name=name))
    run_tasks()
    return document


def test_the_upload_only_queues_the_extraction(network, django_capture_on_commit_callbacks):
    """The upload request does not parse the file: the extraction waits in the background
    queue for the task worker."""
    with django_capture_on_commit_callbacks(execute=True):
        document = Document.objects.create(
            title="Queued", file=ContentFile(pdf_bytes("En attente."), name="queued.pdf")
        )
    assert not DocumentText.objects.filter(document=document).exists()
    queued = pending().filter(task_path__endswith="extract_document_text_task")
    assert list(queued.values_list("args_kwargs", flat=True)) == [
        {"args": [document.pk], "kwargs": {}}
    ]
    assert run_tasks() == 1
    assert DocumentText.objects.get(document=document).status == DocumentText.Status.DONE


@pytest.mark.parametrize(
    "name, data",
    [
        ("etude.pdf", pdf_bytes("Les berges et la ripisylve urbaine.", "Deuxieme ligne.")),
        ("etude.docx", docx_bytes("Les berges et la ripisylve urbaine.", "Deuxième ligne.")),
        ("etude.odt", odt_bytes("Les berges et la ripisylve urbaine.", "Deuxième ligne.")),
    ],
)
def test_the_text_of_pdf_docx_and_odt_is_extracted_after_upload(
    network, django_capture_on_commit_callbacks, name, data
):
    document = upload(name, data, django_capture_on_commit_callbacks)
    record = DocumentText.objects.get(document=document)
    assert record.status == DocumentText.Status.DONE
    assert "ripisylve urbaine" in record.text and "ligne" in record.text


def test_a_damaged_file_fails_quietly_and_the_upload_stands(
    network, django_capture_on_commit_callbacks, caplog
):
    document = upload("casse.pdf", b"%PDF-1.4 not really", django_capture_on_commit_callbacks)
    assert Document.objects.filter(pk=document.pk).exists()
    assert DocumentText.objects.get(document=document).status == DocumentText.Status.FAILED
    assert any("text not extracted" in r.getMessage() for r in caplog.records)
    other = upload("image.txt", b"plain", django_capture_on_commit_callbacks)
    assert DocumentText.objects.get(document=other).status == DocumentText.Status.SKIPPED


def test_extraction_is_bounded(network, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(document_text, "MAX_CHARS", 20)
    document = upload("long.docx", docx_bytes("x" * 50), django_capture_on_commit_callbacks)
    record = DocumentText.objects.get(document=document)
    assert record.truncated and len(record.text) == 20
    # A zip member inflating past the bound is refused (zip bombs), not read.
    monkeypatch.setattr(document_text, "MAX_XML_BYTES", 100)
    bomb = upload("bomb.odt", odt_bytes("y" * 5000), django_capture_on_commit_callbacks)
    assert DocumentText.objects.get(document=bomb).status == DocumentText.Status.FAILED
    # Files over the size bound are skipped.
    monkeypatch.setattr(document_text, "MAX_BYTES", 10)
    big = upload("big.pdf", pdf_bytes("trop grand"), django_capture_on_commit_callbacks)
    assert DocumentText.objects.get(document=big).status == DocumentText.Status.SKIPPED


def attach(page, document):
    page.documents = [PublicationDocument(document=document)]
    page.save_revision().publish()


def test_a_publication_is_found_by_its_documents_text_with_the_passage(
    network, django_capture_on_commit_callbacks
):
    irev = network.centres["irev"]
    document = upload(
        "rapport.pdf",
        pdf_bytes(
            "Introduction generale.", "Le diagnostic des berges de la Deule et sa ripisylve."
        ),
        django_capture_on_commit_callbacks,
    )
    page = make_publication(library_of(irev.home_page), "Rapport annuel", authors=[irev])
    attach(page, document)
    response = get("/recherche/", q="ripisylve")
    assert titles(response) == ["Rapport annuel"]
    html = response.content.decode()
    assert re.search(r"berges de la Deule et sa <mark>ripisylve</mark>", html), html[-4000:]


def test_text_extracted_after_publication_is_searched(network):
    """A real worker extracts later: the pages already attaching the document are
    indexed again once its text is known."""
    irev = network.centres["irev"]
    # Not committed in this test's transaction: nothing extracted yet.
    document = Document.objects.create(
        title="Annexe", file=ContentFile(odt_bytes("Une ripisylve tardive."), name="annexe.odt")
    )
    page = make_publication(library_of(irev.home_page), "Annexe du rapport", authors=[irev])
    attach(page, document)
    assert titles(get("/recherche/", q="ripisylve")) == []
    document_text.extract_document_text_task.enqueue(document.pk)
    run_tasks()  # the worker's part
    assert titles(get("/recherche/", q="ripisylve")) == ["Annexe du rapport"]
