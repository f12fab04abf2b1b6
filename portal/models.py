from django.db import models


class ContentVersion(models.Model):
    """One row whose value changes whenever published content or a site's identity
    changes. Cached fragments and counts are keyed by it, so every process of every
    server sees a change at once, whatever the cache backend (a per-process
    local-memory cache included)."""

    value = models.PositiveBigIntegerField(default=0)
