"""What the interop app remembers: OAI-PMH tombstones, the iCalendar feed of each agenda,
and which portal page each imported item (calendar event, WordPress post or attachment)
became, so that a re-run updates instead of duplicating and leaves hand edits alone.

Kept here rather than on the content models: the content apps do not know about imports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeletedRecord(models.Model):
    """A publication that left the OAI-PMH repository (unpublished or deleted): harvesters
    are told `status="deleted"` so they drop their copy (deletedRecord = persistent)."""

    page_id = models.PositiveBigIntegerField(unique=True)
    deleted_at = models.DateTimeField(db_index=True)
    set_specs = models.JSONField(default=list)

    class Meta:
        ordering = ["deleted_at", "page_id"]

    def __str__(self):
        return f"publication {self.page_id} (deleted {self.deleted_at:%Y-%m-%d})"


class AgendaFeed(models.Model):
    """The iCalendar feed of a centre's current website, imported into its agenda."""

    agenda = models.OneToOneField(
        "agenda.AgendaPage", verbose_name=_("agenda"), on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(
        _("adresse du flux iCalendar"),
        max_length=500,
        help_text=_("Par exemple https://www.mon-centre.fr/agenda/?ical=1"),
    )
    enabled = models.BooleanField(_("importer ce flux"), default=True)
    last_run_at = models.DateTimeField(_("dernier import"), null=True, blank=True, editable=False)
    last_report = models.TextField(_("compte rendu du dernier import"), blank=True, editable=False)

    class Meta:
        verbose_name = _("flux iCalendar d'un agenda")
        verbose_name_plural = _("flux iCalendar des agendas")

    def __str__(self):
        return self.url


class ImportedItem(models.Model):
    """One item of an outside source (a VEVENT of a feed, a WordPress post) and the page it
    became. `revision_id` is the revision the import last wrote: if the page's latest
    revision is another one, an editor changed it by hand and imports leave it alone."""

    class Origin(models.TextChoices):
        ICAL = "ical", "iCalendar"
        WORDPRESS = "wordpress", "WordPress"

    origin = models.CharField(max_length=12, choices=Origin.choices)
    source = models.CharField(max_length=500, help_text="Feed URL or WordPress site URL.")
    key = models.CharField(max_length=500, help_text="VEVENT UID or WordPress post id.")
    # Kept when the page is deleted: an item an editor deleted is not imported again.
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision_id = models.PositiveBigIntegerField(null=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    # Unpublished by the import (cancelled, gone from the feed): published again if it
    # comes back. A page unpublished by an editor stays so.
    withdrawn = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "source", "key"], name="interop_item_once_per_source"
            )
        ]

    def __str__(self):
        return f"{self.origin} {self.key} → {self.page_id}"

    def edited_by_hand(self, page) -> bool:
        if not page.live and not self.withdrawn:
            return True  # unpublished by an editor
        return page.latest_revision_id is not None and page.latest_revision_id != self.revision_id


class ImportedFile(models.Model):
    """A WordPress attachment and the document or image it became."""

    source = models.CharField(max_length=500)
    key = models.CharField(max_length=500)
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, on_delete=models.CASCADE, related_name="+"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="interop_file_once_per_source")
        ]
