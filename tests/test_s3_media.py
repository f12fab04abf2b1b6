"""Media on S3 (portal.s3.KeepNameS3Storage) against moto's S3 server: documents and
image renditions go to the bucket under their own names; documents stay private and are
handed out through signed URLs after Wagtail's checks; renditions are public with
stable addresses, so that cached pages keep working."""

import io
import urllib.error
import urllib.request

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

import pytest
from PIL import Image as PILImage

from centres.models import SiteIdentity

from .reads_fixtures import publish_page_using
from .s3 import BUCKET, bucket, keys, moto_server, storage_settings  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def upload_document(client, title, name, content=PDF):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def png_bytes(size=(320, 200)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (29, 79, 145)).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(network, title="Façade du centre"):
    return Image.objects.create(
        title=title,
        collection=network.centres["irev"].collection,
        file=ImageFile(io.BytesIO(png_bytes()), name="facade.png"),
    )


def fetch(url):
    """An anonymous reader's request, straight to the S3 server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_uploaded_documents_go_to_the_bucket_under_their_own_name(network, bucket):
    client = network.client_for("editeur-irev")
    for title in ("Rapport 2024", "Rapport 2025"):
        assert upload_document(client, title, "rapport.pdf").status_code == 302
    first, second = Document.objects.filter(title__startswith="Rapport 20").order_by("title")
    assert first.file.name == "documents/rapport.pdf"
    assert second.file.name != first.file.name and second.file.name.endswith("/rapport.pdf")
    assert first.filename == second.filename == "rapport.pdf"
    assert keys(bucket) == sorted([first.file.name, second.file.name])
    assert bucket.get_object(Bucket=BUCKET, Key=first.file.name)["Body"].read() == PDF


def test_a_document_is_private_in_the_bucket_and_served_through_a_signed_url(
    network, bucket, moto_server
):
    upload_document(network.client_for("editeur-irev"), "Synthèse", "synthese.pdf")
    document = Document.objects.get(title="Synthèse")
    publish_page_using(document, network.centres["irev"].home_page)  # public once linked
    assert fetch(f"{moto_server}/{BUCKET}/{document.file.name}")[0] == 403
    response = Client(HTTP_HOST="irev.localhost").get(document.url)
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(moto_server) and "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=300" in signed
    assert fetch(signed) == (200, PDF)


def test_renditions_are_public_with_stable_addresses_and_originals_are_not(
    network, bucket, moto_server
):
    image = make_image(network)
    assert image.file.name == "original_images/facade.png"
    rendition = image.get_rendition("width-160")
    assert rendition.file.name.startswith("images/facade.")
    assert rendition.url == f"{moto_server}/{BUCKET}/{rendition.file.name}"
    assert image.get_rendition("width-160").url == rendition.url  # the same in every page
    status, body = fetch(rendition.url)
    assert status == 200
    assert PILImage.open(io.BytesIO(body)).size == (160, 100)
    assert fetch(f"{moto_server}/{BUCKET}/{image.file.name}")[0] == 403


def test_a_custom_domain_serves_renditions_and_documents_stay_signed(
    network, bucket, settings, moto_server
):
    settings.STORAGES = storage_settings(
        moto_server, custom_domain="medias.reseau-crpv.example.org"
    )
    image = make_image(network)
    rendition = image.get_rendition("width-80")
    assert rendition.url == f"https://medias.reseau-crpv.example.org/{rendition.file.name}"
    upload_document(network.client_for("editeur-irev"), "Bilan", "bilan.pdf")
    document = Document.objects.get(title="Bilan")
    publish_page_using(document, network.centres["irev"].home_page)  # public once linked
    signed = Client(HTTP_HOST="irev.localhost").get(document.url)["Location"]
    assert signed.startswith(moto_server) and "X-Amz-Signature=" in signed
    assert fetch(signed) == (200, PDF)


def test_a_page_showing_an_image_from_s3_renders_it(network, bucket):
    identity = SiteIdentity.for_site(Site.objects.get(hostname="irev.localhost"))
    identity.logo = make_image(network, "Logo IREV")
    identity.save()
    response = Client(HTTP_HOST="irev.localhost").get("/")
    assert response.status_code == 200
    # The header's logo and the sharing card's picture: two sizes, both in the page and
    # both served from the bucket.
    renditions = list(identity.logo.renditions.all())
    assert len(renditions) == 2
    html = response.content.decode()
    for rendition in renditions:
        assert rendition.url in html
        assert fetch(rendition.url)[0] == 200
