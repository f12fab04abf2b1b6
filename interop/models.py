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
        verbose_name = _("flux iCalendar d’un agenda")
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


class ExternalFeed(models.Model):
    """An outside RSS/Atom feed shown on the sites (e.g. the network's Scoop.it press
    panorama): fetched by the scheduled job `fetch_external_feeds`, never while a page
    renders. The last good items are kept when a fetch fails, and the state says so."""

    class State(models.TextChoices):
        NEVER = "never", _("jamais récupéré")
        OK = "ok", _("à jour")
        FAILING = "failing", _("en échec")

    name = models.CharField(_("nom"), max_length=120, unique=True)
    url = models.URLField(_("adresse du flux RSS ou Atom"), max_length=500)
    on_every_site = models.BooleanField(
        _("afficher sur chaque site"),
        default=True,
        help_text=_("Le bloc apparaît au pied des pages du portail et de chaque centre."),
    )
    max_items = models.PositiveSmallIntegerField(_("nombre d’éléments affichés"), default=5)
    items = models.JSONField(default=list, editable=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.NEVER)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("flux externe")
        verbose_name_plural = _("flux externes")
        ordering = ["name"]

    def __str__(self):
        return self.name
