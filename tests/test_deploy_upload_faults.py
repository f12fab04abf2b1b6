"""When the file storage fails (S3 unreachable, a full disk), an editor's upload ends
with a message saying so and nothing half-saved, and the public still gets its pages."""

import io
import subprocess
import uuid

from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site

import pytest

from centres.models import SiteIdentity

from .s3 import bucket, moto_server, storage_settings  # noqa: F401 (fixtures)
from .test_s3_media import PDF, png_bytes

pytestmark = pytest.mark.django_db

Document = get_document_model()
Image = get_image_model()
MESSAGE = "le stockage des fichiers est injoignable ou plein"
# Port 1 of the loopback: nothing listens there, connections are refused at once.
UNREACHABLE = "http://127.0.0.1:1"


def plain(text):
    return " ".join(text.replace("\xa0", " ").replace("’", "'").split())


def post_document(client, title="Rapport", name="rapport.pdf", content=PDF):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        follow=True,
    )


@pytest.fixture
def s3_down(settings):
    settings.STORAGES = storage_settings(UNREACHABLE)
    settings.WAGTAILDOCS_SERVE_METHOD = "redirect"


def assert_clear_refusal(response, before):
    assert response.status_code == 200
    assert MESSAGE in plain(response.content.decode())
    assert Document.objects.count() == before


def test_s3_unreachable_refuses_a_document_upload_with_a_message(network, s3_down):
    before = Document.objects.count()
    response = post_document(network.client_for("editeur-irev"))
    assert response.redirect_chain[-1][0] == reverse("wagtaildocs:add")
    assert_clear_refusal(response, before)


def test_s3_unreachable_refuses_an_image_upload_with_a_message(network, s3_down):
    before = Image.objects.count()
    response = network.client_for("admin").post(
        reverse("wagtailimages:add"),
        {
            "title": "Photo",
            "file": SimpleUploadedFile("photo.png", png_bytes(), "image/png"),
            "collection": network.centres["irev"].collection.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert MESSAGE in plain(response.content.decode())
    assert Image.objects.count() == before


def test_s3_unreachable_in_the_multiple_upload_answers_its_json_error(network, s3_down):
    response = network.client_for("editeur-irev").post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is False
    assert MESSAGE in plain(body["error_message"])


def test_s3_unreachable_still_gives_the_public_its_pages(network, bucket, settings):
    # An image stored while S3 answered, whose rendition was never made...
    identity = SiteIdentity.for_site(Site.objects.get(hostname="irev.localhost"))
    identity.logo = Image.objects.create(
        title="Logo",
        collection=network.centres["irev"].collection,
        file=ImageFile(io.BytesIO(png_bytes()), name="logo.png"),
    )
    identity.save()
    # ...then S3 goes away: the page is served, the image is a placeholder.
    settings.STORAGES = storage_settings(UNREACHABLE)
    response = Client(HTTP_HOST="irev.localhost").get("/")
    assert response.status_code == 200
    assert 'class="site-logo"' in response.content.decode()


@pytest.fixture
def full_disk(settings, tmp_path):
    """Media on a real 64 KB file system (tmpfs, mounted as root, as every machine of this
    project runs its tests): writing past it fails with ENOSPC like a full disk."""
    mount_point = tmp_path / f"media-{uuid.uuid4().hex[:6]}"
    mount_point.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)], check=True
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    }
    settings.MEDIA_ROOT = mount_point
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_refuses_a_document_upload_with_a_message(network, full_disk):
    before = Document.objects.count()
    large = PDF + b"0" * (256 * 1024)
    response = post_document(network.client_for("editeur-irev"), content=large)
    assert_clear_refusal(response, before)
    assert not list(full_disk.rglob("*.pdf")), "no partial file left to fill the disk further"
    # A small file still fits: the refusal was the disk's, not the form's.
    assert post_document(network.client_for("editeur-irev"), "Note", "note.pdf").status_code == 200
    assert Document.objects.filter(title="Note").exists()
