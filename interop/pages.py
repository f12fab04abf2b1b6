"""Writing imported pages: a free slug among the siblings, a published revision that the
mapping remembers, and leaving alone what an editor changed by hand since."""

import hashlib
import json

from django.utils.text import slugify

from .models import ImportedItem


def fingerprint(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def free_slug(parent, title, page=None) -> str:
    base = slugify(title)[:70] or "page"
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def publish(page, item: ImportedItem, values_fingerprint: str):
    """Publish the page's current state as a revision the import owns."""
    revision = page.save_revision()
    revision.publish()
    item.page, item.revision_id, item.fingerprint = page, revision.pk, values_fingerprint
    item.withdrawn = False
    item.save()
