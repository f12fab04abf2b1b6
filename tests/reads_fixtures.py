"""Helpers for the tests of what each role may read: a live page that uses a document
(which makes the document public, docs/permissions.md)."""

from home.models import ContentPage


def publish_page_using(document, parent, slug="page-avec-document") -> ContentPage:
    """A published page of `parent`'s site whose body links to `document`: the way a
    document becomes public (a download link on a live page)."""
    page = ContentPage(
        title="Page avec document",
        slug=slug,
        body=[("document", {"document": document, "title": ""})],
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
