"""A publication without a cover shows its document's first page, drawn by the real
background worker (another process) from a real PDF after the publication; its
"Télécharger" block gives each file's format and size."""

import re

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation

from wagtail.documents import get_document_model

from PIL import Image as PILImage

from centres.models import Centre
from demo.seed.media import ensure_document, pdf_bytes
from portal.covers import picture
from publications.models import DocumentThumbnail, PublicationDocument, PublicationPage
from publications.thumbnails import make_thumbnail
from publications.views import card_related

from .task_worker import committed_db, run_tasks, task_worker  # noqa: F401  (fixtures)
from .test_agenda_helpers import fetch
from .test_publications_helpers import library_of, make_publication

TEXT = ["Une étude menée avec les habitants des quartiers prioritaires.", "Deuxième paragraphe."]


def report(collection, title="Rapport annuel"):
    return ensure_document(
        collection, title, pdf_bytes(title, "IREV · 2024", TEXT), f"{title.lower()}.pdf"
    )


def publish_with(document, title, **fields):
    irev = Centre.objects.get(slug="irev")
    return make_publication(
        library_of(irev.home_page),
        title,
        authors=[irev],
        publication_date=timezone.localdate(),
        documents=[PublicationDocument(document=document, label="Le rapport complet")],
        **fields,
    )


def test_the_worker_draws_the_first_page_after_the_publication(
    task_worker,  # noqa: F811
    settings,
    tmp_path,
):
    # The worker reads the uploaded PDF: both processes share a folder of files.
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "portal.storage.KeepNameFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    task_worker.restart(TEST_MEDIA_ROOT=str(tmp_path))
    irev = Centre.objects.get(slug="irev")
    document = report(irev.collection)
    publication = publish_with(document, "Étude sans couverture")
    task_worker.wait(60)

    thumbnail = DocumentThumbnail.objects.select_related("image").get(document=document)
    assert thumbnail.status == DocumentThumbnail.Status.DONE
    image = thumbnail.image
    assert image.collection_id == irev.collection_id  # the centre's own, as the document
    assert image.width == 600 and image.height in (849, 850)  # A4, 600 pixels wide
    with image.open_file() as file:
        drawn = PILImage.open(file).convert("RGB")
        # The accent band at the top of the page, white paper below the text.
        assert drawn.getpixel((300, 20)) != (255, 255, 255)
        assert drawn.getpixel((300, 840)) == (255, 255, 255)

    alt = "Première page du document « Étude sans couverture »"
    (head,) = re.findall(r"<picture.*?</picture>", fetch(publication.full_url).content.decode())
    assert "cover--head-portrait" in head and f'alt="{alt}"' in head
    library = fetch("http://irev.localhost/ressources/").content.decode()
    assert any(
        "cover--card-portrait" in p and alt in p
        for p in re.findall(r"<picture.*?</picture>", library)
    )
    # Published again, nothing more to draw: the same file has its thumbnail.
    publication.save_revision().publish()
    task_worker.wait(30)
    assert DocumentThumbnail.objects.get(document=document).image_id == image.pk


def test_a_publication_with_a_cover_queues_nothing(network, django_capture_on_commit_callbacks):
    from .test_covers import make_image

    irev = network.centres["irev"]
    with django_capture_on_commit_callbacks(execute=True):
        publish_with(
            report(irev.collection),
            "Étude illustrée",
            cover_image=make_image(irev.collection),
            cover_alt="Une couverture",
        )
    assert run_tasks() == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish_with(report(irev.collection, "Autre rapport"), "Étude à vignette")
    assert run_tasks() == 1


def test_a_damaged_pdf_fails_quietly(network):
    irev = network.centres["irev"]
    broken = get_document_model()(title="Cassé", collection=irev.collection)
    broken.file.save("casse.pdf", ContentFile(b"%PDF-1.4 not really a pdf"), save=True)
    make_thumbnail(broken.pk)
    assert DocumentThumbnail.objects.get(document=broken).status == "failed"
    publication = publish_with(broken, "Étude au document cassé")
    html = fetch(publication.full_url).content.decode()
    assert "<picture" not in html and "Le rapport complet" in html


def test_the_download_block_gives_format_and_size(network):
    document = report(network.centres["irev"].collection)
    publication = publish_with(document, "Étude à télécharger")
    html = fetch(publication.full_url).content.decode()
    block = re.search(r'<section aria-labelledby="downloads".*?</section>', html, re.S).group(0)
    assert "Télécharger" in block and f'href="{document.url}"' in block
    meta = re.search(r'<span class="download__meta">([^<]+)</span>', block).group(1)
    assert document.file_size > 500
    # "PDF – 942 octets", "PDF – 1,4 Kio": the format, then the size in French units.
    with translation.override("fr"):
        assert meta == f"PDF – {filesizeformat(document.file_size)}"
    assert re.fullmatch(r"PDF – [\d,]+\xa0(octets|Kio)", meta), meta


def test_listings_fetch_thumbnails_in_bulk(network, django_assert_num_queries):
    """The cards' covers (here the documents' first pages) and their renditions come
    with the page of results: no query per card."""
    irev = network.centres["irev"]
    library = library_of(irev.home_page)
    for number in range(3):
        document = report(irev.collection, f"Rapport {number}")
        make_thumbnail(document.pk)
        publish_with(document, f"Étude {number}")

    def cards():
        return list(card_related(PublicationPage.objects.child_of(library).live()))

    for page in cards():
        if page.cover:
            picture(page.cover, "card")  # the renditions made once
    pages = [page for page in cards() if page.title.startswith("Étude ")]
    assert len(pages) == 3
    with django_assert_num_queries(0):
        drawn = [picture(page.cover, "card") for page in pages]
    assert all(p and p["style"] == "card-portrait" for p in drawn), drawn
