"""A publication without a cover shows the first page of its first document (a PDF):
drawn by the background worker (`manage.py task_worker`, docs/tasks.md) after the
publication, never in the editor's request, and kept per document (`DocumentThumbnail`)
as a Wagtail image in the document's collection (so that the cards get renditions in
every size and format, as for any cover).

PDFium (through pypdfium2, whose wheels ship it) draws the page: no system library.
Bounds: a file over MAX_BYTES is skipped, the page is drawn at WIDTH pixels wide at most
(a huge page format does not make a huge bitmap). A damaged or hostile file is logged
and recorded as failed, never raised into anything."""

import io
import logging

from django.core.files.images import ImageFile
from django.db import transaction

from portal.cache import bump_content_version
from portal.tasks import background_task

logger = logging.getLogger("publications.thumbnails")

MAX_BYTES = 30 * 1024 * 1024
WIDTH = 600
MAX_HEIGHT = 1200


def first_page_jpeg(data: bytes) -> bytes:
    """The first page of a PDF, as a JPEG image WIDTH pixels wide."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        width, height = page.get_size()  # in points
        scale = min(WIDTH / width, MAX_HEIGHT / height)
        bitmap = page.render(scale=scale)
        image = bitmap.to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def make_thumbnail(document_id: int):
    """Draw (or draw again, for a new file) the first page of a document. Idempotent:
    the same file is drawn once."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from .models import DocumentThumbnail

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return
    known = DocumentThumbnail.objects.filter(document=document).select_related("image").first()
    if known and known.file_hash == (document.file_hash or "") and known.status != "failed":
        return
    record = {"file_hash": document.file_hash or "", "image": None}
    try:
        if document.file_extension.lower() != "pdf" or document.file.size > MAX_BYTES:
            record["status"] = DocumentThumbnail.Status.SKIPPED
        else:
            with document.open_file() as file:
                data = file.read()
            picture = first_page_jpeg(data)
            title = f"{document.title} (1re page)"[:255]
            record["image"] = get_image_model().objects.create(
                title=title,
                description=f"Première page du document « {document.title} »"[:255],
                collection=document.collection,
                file=ImageFile(io.BytesIO(picture), name=f"vignette-{document.pk}.jpg"),
            )
            record["status"] = DocumentThumbnail.Status.DONE
    except Exception as error:  # a damaged or hostile file: no thumbnail, a log line
        logger.warning("document %s: no thumbnail: %r", document_id, error)
        record["status"] = DocumentThumbnail.Status.FAILED
    DocumentThumbnail.objects.update_or_create(document=document, defaults=record)
    if known and known.image_id and known.image_id != getattr(record["image"], "pk", None):
        known.image.delete()  # ours, made from the former file
    if record["image"] is not None:
        # Cards are cached per content version: theirs may now show it.
        bump_content_version()


@background_task
def make_thumbnail_task(document_id: int):
    """The background task: drawing a page never holds up a publication."""
    make_thumbnail(document_id)


def wanted(publication) -> int | None:
    """The document whose first page `publication` would show, when it has no cover
    and the document has no thumbnail of its current file yet."""
    from .models import DocumentThumbnail

    if publication.cover_image_id:
        return None
    first = publication.documents.select_related("document").first()
    if first is None or first.document.file_extension.lower() != "pdf":
        return None
    document = first.document
    done = DocumentThumbnail.objects.filter(
        document=document, file_hash=document.file_hash or ""
    ).exists()
    return None if done else document.pk


def enqueue_for_publication(sender, instance, **kwargs):
    """On publication: draw the first page of its first document, in the background.
    Never raises into the publication: a failure to enqueue is logged."""
    document_id = wanted(instance)
    if document_id is None:
        return

    def enqueue():
        try:
            make_thumbnail_task.enqueue(document_id)
        except Exception:
            logger.exception("document %s: thumbnail not enqueued", document_id)

    transaction.on_commit(enqueue)


def enqueue_for_new_file(sender, instance, **kwargs):
    """A document given a new file: its thumbnail, if it has one, is drawn again."""
    from .models import DocumentThumbnail

    if (
        not DocumentThumbnail.objects.filter(document_id=instance.pk)
        .exclude(file_hash=instance.file_hash or "")
        .exists()
    ):
        return
    document_id = instance.pk
    transaction.on_commit(lambda: make_thumbnail_task.enqueue(document_id))


def connect_signals():
    from django.db.models.signals import post_save

    from wagtail.documents import get_document_model
    from wagtail.signals import page_published

    from .models import PublicationPage

    page_published.connect(
        enqueue_for_publication, sender=PublicationPage, dispatch_uid="publications-thumbnail"
    )
    post_save.connect(
        enqueue_for_new_file,
        sender=get_document_model(),
        dispatch_uid="publications-thumbnail-new-file",
    )
