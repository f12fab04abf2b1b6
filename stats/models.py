"""Audience statistics: daily salts, raw events (13 months at most) and daily rollups.

Nothing here can name a person: the visitor key is a keyed hash whose key (the day's
salt) is deleted 48 hours after the day starts, the path has no query string, the
referrer is reduced to its host. Every figure is kept per site and per day, so the
network's totals are plain sums of the sites' figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySalt(models.Model):
    """The random key of one day's visitor hashes (Europe/Paris days)."""

    day = models.DateField(unique=True)
    value = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"salt {self.day}"


class Event(models.Model):
    """One page view (from the beacon), one document download (served by Wagtail) or
    one replay play (an event page's redirect to its replay, agenda's `replay/` route:
    `page` is the event)."""

    VIEW, DOWNLOAD, REPLAY = "v", "d", "r"
    KINDS = [(VIEW, _("page vue")), (DOWNLOAD, _("téléchargement")), (REPLAY, _("replay lancé"))]

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=1, choices=KINDS, default=VIEW)
    occurred_at = models.DateTimeField()
    # The Europe/Paris day, the one whose salt hashed `visitor`.
    day = models.DateField()
    visitor = models.CharField(max_length=32)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=255)
    referrer_host = models.CharField(max_length=255, blank=True)
    # The browser had no first-visit date for this site (localStorage): a new visitor.
    first_visit = models.BooleanField(default=False)
    # The browser had no mark of a visit to this site in the current calendar year
    # (localStorage keeps the year only): one more distinct visitor of the year.
    first_of_year = models.BooleanField(default=False, db_default=False)

    class Meta:
        indexes = [models.Index(fields=["site", "day", "visitor", "occurred_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.path} {self.occurred_at:%Y-%m-%d %H:%M}"


class SiteDay(models.Model):
    """One site's figures for one closed day. Its presence also marks the day as rolled
    up: reports read raw events only for the days after a site's last rollup."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    page_views = models.PositiveIntegerField(default=0)
    unique_page_views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    new_visitors = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    bounces = models.PositiveIntegerField(default=0)
    duration_seconds = models.PositiveBigIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    unique_downloads = models.PositiveIntegerField(default=0)
    # Visitors of the day whose browser marked its first visit of the year: summed over
    # a year, the year's distinct visitors (docs/statistics.md).
    year_visitors = models.PositiveIntegerField(default=0, db_default=0)
    # Replays launched through the portal's redirect (event pages' `replay/`).
    replay_plays = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="stats_siteday_unique")]
        indexes = [models.Index(fields=["day"])]


class PageFigures(models.Model):
    """One page's figures over a period: what the daily and the monthly rollups share."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_views = models.PositiveIntegerField(default=0)
    unique_page_views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class PageDay(PageFigures):
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["site", "day"]), models.Index(fields=["page", "day"])]


class PageMonth(PageFigures):
    """PageDay summed over a calendar month (`month` is its first day): what a long
    period's per-page table reads for its whole months, 30 times fewer rows. Rewritten
    with the PageDay rows of its month, so that the two always agree."""

    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["site", "month"])]


class DocumentDay(models.Model):
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so that a deleted document's line still reads as something.
    title = models.CharField(max_length=255)
    downloads = models.PositiveIntegerField(default=0)
    unique_downloads = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["site", "day"])]


class ReplayDay(models.Model):
    """One event's replay plays on one site and day (the site whose host redirected)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept so that a deleted event's line still reads as something.
    title = models.CharField(max_length=255)
    plays = models.PositiveIntegerField(default=0)
    unique_plays = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["site", "day"]), models.Index(fields=["page", "day"])]


class ReferrerDay(models.Model):
    """Sessions that entered the site from another host."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    host = models.CharField(max_length=255)
    sessions = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["site", "day"])]


class ExcludedUser(models.Model):
    """An admin user who asked that their own visits not be counted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )


class ImportedYear(models.Model):
    """One site's yearly figures from the previous audience tool (`stats_import`): the
    report reads them instead of the rollups for that site and year."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    visitors = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    page_views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    unique_downloads = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "year"], name="stats_importedyear_unique")
        ]

    def __str__(self):
        return f"import {self.site_id} {self.year}"


class ImportedPage(models.Model):
    """One page's yearly figures from the previous tool (the per-page table)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    path = models.CharField(max_length=255)
    page_views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(null=True, blank=True)  # when the tool gave it

    class Meta:
        indexes = [models.Index(fields=["site", "year"])]
