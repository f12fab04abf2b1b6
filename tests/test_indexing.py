"""Indexing deferred to the end of a bulk job (portal.indexing, used by the demo seed and
the network's bootstrap): what the block saved is searchable and its references known
once the block ends, as its final state; nothing is indexed if the block fails; outside
a block, a save is indexed as it comes."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry

import pytest

from home.models import ContentPage
from portal.indexing import deferred_indexing, deferring

from .factories import ContentPageFactory


def indexed(page) -> bool:
    content_type = ContentType.objects.get_for_model(ContentPage)
    return IndexEntry.objects.filter(content_type=content_type, object_id=str(page.pk)).exists()


def linking_to(target) -> dict:
    return {"type": "paragraph", "value": f'<p><a linktype="page" id="{target.pk}">voir</a></p>'}


def test_pages_saved_in_the_block_are_indexed_once_it_ends_as_they_are_then(network):
    home = network.centres["irev"].home_page
    with deferred_indexing():
        assert deferring()
        target = ContentPageFactory(parent=home, title="Page liée")
        page = ContentPageFactory(parent=home, title="Premier titre")
        assert not indexed(page)
        assert not ReferenceIndex.get_references_to(target).exists()
        # Saved again (a new revision published): the index gets the last state only.
        page.title, page.body = "Titre définitif zygomatique", [linking_to(target)]
        page.save_revision().publish()
    assert not deferring()
    assert indexed(page) and indexed(target)
    found = ContentPage.objects.live().search("zygomatique")
    assert [p.pk for p in found] == [page.pk]
    assert page.pk not in [p.pk for p in ContentPage.objects.live().search("Premier titre")]
    referring = ReferenceIndex.get_references_to(target).values_list("object_id", flat=True)
    assert list(referring) == [str(page.pk)]


def test_a_failed_block_indexes_nothing_and_leaves_saves_indexed_as_they_come(network):
    home = network.centres["irev"].home_page
    with pytest.raises(RuntimeError), transaction.atomic(), deferred_indexing():
        page = ContentPageFactory(parent=home, title="Page abandonnée")
        raise RuntimeError("the job fails")
    assert not deferring()
    assert not ContentPage.objects.filter(pk=page.pk).exists()
    # Wagtail's handlers are back: a save is indexed at once.
    later = ContentPageFactory(parent=home, title="Page publiée ensuite")
    assert indexed(later)


def test_blocks_nest_into_the_outer_one(network):
    home = network.centres["irev"].home_page
    with deferred_indexing():
        with deferred_indexing():
            page = ContentPageFactory(parent=home, title="Page imbriquée")
        assert deferring() and not indexed(page)
    assert indexed(page)
