"""Index freshness for themes.

Wagtail indexes a page from `post_save`, which `ClusterableModel.save()` sends before it
writes the page's child relations, tags included: a theme added in the editor would only
reach the index at the next save or rebuild. Once `page_published` is sent, the tags are
in the database, so the page is indexed again then (one more index write per publication
of a tagged page type; Wagtail logs and swallows backend errors, as for the first write).
"""

from wagtail.search import index
from wagtail.signals import page_published


def reindex_tagged_page(sender, instance, **kwargs):
    if hasattr(type(instance), "tagged_items"):
        index.insert_or_update_object(instance)


def connect():
    page_published.connect(reindex_tagged_page, dispatch_uid="search-reindex-tagged-page")
