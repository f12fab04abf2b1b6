from django.db import models


class ContentVersion(models.Model):
    """One row whose value changes whenever published content or a site's identity
    changes. Cached fragments and counts are keyed by it, so every process of every
    server sees a change at once, whatever the cache backend (a per-process
    local-memory cache included)."""

    value = models.PositiveBigIntegerField(default=0)


class JobRun(models.Model):
    """One run of a scheduled command (portal.jobs): when it started and ended, and
    whether it succeeded. `/health/` shows each job's last run and flags a job overdue
    against its cadence."""

    name = models.CharField(max_length=64, db_index=True)
    started = models.DateTimeField()
    finished = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["name", "-started"], name="portal_jobrun_last")]

    def __str__(self):
        return f"{self.name} {self.started:%Y-%m-%d %H:%M}"


class DocumentText(models.Model):
    """The text of an uploaded document (PDF, DOCX, ODT), extracted in the background
    after the upload (`portal.document_text`): pages that attach the document index
    it, and the search shows the passage that matched."""

    class Status(models.TextChoices):
        DONE = "done", "done"
        SKIPPED = "skipped", "skipped"  # not a format we read, or too large
        FAILED = "failed", "failed"

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    file_hash = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    truncated = models.BooleanField(default=False)
    extracted_at = models.DateTimeField(auto_now=True)


class SiteContentVersion(models.Model):
    """How many times what one site shows has changed: the whole-page cache keys a
    site's pages by it (portal.middleware), so that a publication on one centre's site
    leaves the other centres' cached pages in use. A change that any site may show (a
    theme, a site, a snippet) bumps every site's row (portal.cache)."""

    site = models.OneToOneField(
        "wagtailcore.Site", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.PositiveBigIntegerField(default=0)
