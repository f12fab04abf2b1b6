"""The text of uploaded documents, for the search: extracted after the upload by a
background task (`manage.py task_worker`, docs/tasks.md), bounded in size and time,
never raising into the upload nor blocking a publication.

PDF with `pypdf` (pure Python, maintained by the py-pdf project, no system library);
DOCX and ODT are zip files of XML read with the standard library and `defusedxml` (no
entity expansion), their text being the XML's text nodes. Bounds: files over
MAX_BYTES are skipped, at most MAX_PAGES pages and MAX_CHARS characters are kept, the
extraction stops after MAX_SECONDS (checked between pages), and a zip member larger
than MAX_XML_BYTES once inflated is refused (zip bombs)."""

import logging
import time
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from defusedxml import ElementTree

from .cache import bump_content_version
from .tasks import background_task

logger = logging.getLogger("portal.documents")

MAX_BYTES = 30 * 1024 * 1024
MAX_PAGES = 300
MAX_CHARS = 200_000
MAX_SECONDS = 20.0
MAX_XML_BYTES = 50 * 1024 * 1024


class TooLarge(Exception):
    pass


def _pdf(file, deadline) -> tuple[str, bool]:
    from pypdf import PdfReader

    reader = PdfReader(file)
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or size >= MAX_CHARS or time.monotonic() > deadline:
            return " ".join(parts), True
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return " ".join(parts), False


def _xml_text(file, member: str) -> str:
    with zipfile.ZipFile(file) as archive:
        info = archive.getinfo(member)
        if info.file_size > MAX_XML_BYTES:
            raise TooLarge(member)
        root = ElementTree.fromstring(archive.read(member))
    # Each paragraph's text on its own (DOCX w:p, ODT text:p and text:h).
    paragraphs = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("p", "h"):
            paragraphs.append("".join(element.itertext()))
    return "\n".join(p for p in paragraphs if p.strip())


READERS = {
    "pdf": _pdf,
    "docx": lambda file, deadline: (_xml_text(file, "word/document.xml"), False),
    "odt": lambda file, deadline: (_xml_text(file, "content.xml"), False),
}


def extract(file, extension: str) -> tuple[str, bool]:
    """(text, truncated) of an open file, by its extension; ("", False) for another."""
    reader = READERS.get(extension.lower())
    if reader is None:
        return "", False
    text, truncated = reader(file, time.monotonic() + MAX_SECONDS)
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        return text[:MAX_CHARS], True
    return text, truncated


def extract_document_text(document_id: int):
    """Extract and store the text of a document, then index again the pages attaching
    it. The plain function the task runs; failures are logged and recorded."""
    from wagtail.documents import get_document_model

    from .models import DocumentText

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return
    known = DocumentText.objects.filter(document=document).first()
    if known and document.file_hash and known.file_hash == document.file_hash:
        return  # same file: its text is known
    record = {"file_hash": document.file_hash or "", "text": "", "truncated": False}
    try:
        if document.file_extension.lower() not in READERS or document.file.size > MAX_BYTES:
            record["status"] = DocumentText.Status.SKIPPED
        else:
            with document.open_file() as file:
                record["text"], record["truncated"] = extract(file, document.file_extension)
            record["status"] = DocumentText.Status.DONE
    except Exception as error:  # a damaged or hostile file: no text, a log line
        logger.warning("document %s: text not extracted: %r", document_id, error)
        record["status"] = DocumentText.Status.FAILED
    DocumentText.objects.update_or_create(document=document, defaults=record)
    reindex_pages_of(document)


def reindex_pages_of(document):
    """Index again the live pages that attach the document (Wagtail's reference index
    knows them), so that a text extracted after their publication is searchable."""
    from wagtail.models import Page, ReferenceIndex

    from .indexing import index_object

    # UPGRADE CHECKPOINT wagtail==8.0.1: `ReferenceIndex.get_references_to(obj)` rows' `base_content_type` and `object_id` (tests/test_search_documents.py::test_text_extracted_after_publication_is_searched)
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    }
    pages = list(Page.objects.filter(pk__in=page_ids).live().specific())
    for page in pages:
        index_object(page)
    if pages:
        # Searches are cached per content version: theirs may now find more.
        bump_content_version()


def text_of_documents(documents) -> str:
    """The extracted text of `documents` (Document instances or ids), in their order."""
    from .models import DocumentText

    ids = [getattr(d, "pk", d) for d in documents]
    if not ids:
        return ""
    texts = dict(
        DocumentText.objects.filter(
            document_id__in=ids, status=DocumentText.Status.DONE
        ).values_list("document_id", "text")
    )
    return " ".join(texts[pk] for pk in ids if texts.get(pk))


@background_task
def extract_document_text_task(document_id: int):
    """The background task, run by `manage.py task_worker`: a 40-page PDF's parsing
    never holds up the editor's upload request."""
    extract_document_text(document_id)


def enqueue_extraction(sender, instance, **kwargs):
    """After an upload (or a new file) is committed, extract its text in the background.
    Never raises into the upload: a failure to enqueue is logged."""
    document_id = instance.pk

    def enqueue():
        try:
            extract_document_text_task.enqueue(document_id)
        except Exception:
            logger.exception("document %s: text extraction not enqueued", document_id)

    transaction.on_commit(enqueue)


def connect_signals():
    from django.db.models.signals import post_save

    from wagtail.documents import get_document_model

    post_save.connect(
        enqueue_extraction, sender=get_document_model(), dispatch_uid="portal-document-text"
    )
