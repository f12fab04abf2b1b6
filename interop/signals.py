"""Tombstones for the OAI-PMH repository: a publication unpublished or deleted stays
reported as deleted; published again, it is a live record once more."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from wagtail.signals import page_published, page_unpublished

from publications.models import PublicationPage

from .models import DeletedRecord
from .oai.repository import set_specs_of


def bury(page):
    DeletedRecord.objects.update_or_create(
        page_id=page.pk, defaults={"deleted_at": timezone.now(), "set_specs": set_specs_of(page)}
    )


@receiver(page_unpublished)
def publication_unpublished(sender, instance, **kwargs):
    if isinstance(instance, PublicationPage):
        bury(instance)


# pre_delete, not post_delete: the authors (the record's sets) are still there, and the
# tombstone is written in the deletion's transaction, so it rolls back with it.
@receiver(pre_delete, sender=PublicationPage)
def publication_deleted(sender, instance, **kwargs):
    if instance.last_published_at is not None:
        bury(instance)


@receiver(page_published)
def publication_published(sender, instance, **kwargs):
    if isinstance(instance, PublicationPage):
        DeletedRecord.objects.filter(page_id=instance.pk).delete()
