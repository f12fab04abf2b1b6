"""Index freshness for themes, and the vocabulary of published pages.

Wagtail indexes a page from `post_save`, which `ClusterableModel.save()` sends before it
writes the page's child relations, tags included: a theme added in the editor would only
reach the index at the next save or rebuild. Once `page_published` is sent, the tags are
in the database, so the page is indexed again then (one more index write per publication
of a tagged page type; Wagtail logs and swallows backend errors, as for the first write).

Likewise for a working group's yearly activity and an event's speakers.

The words of a published page join the vocabulary "Vouliez-vous dire …" proposes from
(`search.vocabulary`); a failure there is logged, never raised into the publication.
"""

import logging

from wagtail.search import index
from wagtail.signals import page_published

from portal.indexing import index_object

logger = logging.getLogger("search")


def has_related_fields(model) -> bool:
    """Whether the model indexes child relations (themes, speakers, yearly activity),
    which Wagtail's first index write of a save does not see yet."""
    return any(isinstance(field, index.RelatedFields) for field in model.get_search_fields())


def reindex_tagged_page(sender, instance, **kwargs):
    if hasattr(type(instance), "tagged_items") or has_related_fields(type(instance)):
        index_object(instance)


def learn_words(sender, instance, **kwargs):
    from .excerpt import page_text, shown_text
    from .vocabulary import learn

    try:
        tags = instance.tags.all() if hasattr(instance, "tags") else []
        tags = " ".join(tag.name for tag in tags)
        learn(" ".join([instance.title, page_text(instance), shown_text(instance), tags]))
    except Exception:  # the vocabulary is a convenience: publishing must go on
        logger.exception("search vocabulary not updated for page %s", instance.pk)


def connect():
    page_published.connect(reindex_tagged_page, dispatch_uid="search-reindex-tagged-page")
    page_published.connect(learn_words, dispatch_uid="search-learn-words")
