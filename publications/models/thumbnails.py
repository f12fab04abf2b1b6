"""The first page of a publication's document, as an image: the publication's cover when
its editor gave none. Made in the background (`publications.thumbnails`), kept per
document (not on the page: a page's fields come back from its revision at the next
publication, which would forget a thumbnail made afterwards)."""

from django.db import models


class DocumentThumbnail(models.Model):
    class Status(models.TextChoices):
        DONE = "done", "done"
        SKIPPED = "skipped", "skipped"  # not a PDF, or too large
        FAILED = "failed", "failed"

    document = models.OneToOneField(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="first_page_thumbnail",
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The file it was made from: a new file gets a new thumbnail.
    file_hash = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    made_at = models.DateTimeField(auto_now=True)
