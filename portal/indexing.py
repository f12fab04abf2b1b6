"""Search and reference indexing deferred to the end of a bulk job.

The demo seed and the network's bootstrap save some 1,800 pages, most of them several
times (created, revised, published). Wagtail indexes every save as it comes: a search
row written alone (and every title norm refreshed after it) and the page's references,
each through a task: some 40 % of the seed's time. Within `deferred_indexing()` those
saves are only noted; when the block ends without error, each object is indexed once,
the search rows in bulk per model. Deletions stay immediate (Wagtail's handlers), so
nothing stale is left for the end.

Only for blocks nothing searches in the middle of (the seed, the bootstrap, the tests'
page factories, one page each): a search there would not see the block's pages yet. A
search server that fails is logged and left, as Wagtail's handlers do for each save: the
database's index is written all the same."""

import logging
import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_save

from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import update_reference_index_on_save as references_on_save

from modelcluster.fields import ParentalKey
from modelsearch import index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save

logger = logging.getLogger(__name__)
_state = threading.local()
# The models whose Wagtail handlers a running block has swapped for `_note`.
_swapped = {"search": frozenset(), "references": frozenset()}
DISPATCH_UID = "portal-deferred-indexing"


def deferring() -> bool:
    return getattr(_state, "pending", None) is not None


def index_object(instance) -> None:
    """Indexes `instance` for search now, or at the end of the deferred block."""
    if deferring():
        _note(type(instance), instance)
    else:
        index.insert_or_update_object(instance)


def _note(sender, instance, raw=False, **kwargs):
    if not deferring():
        # Another thread's save while a block runs (the handlers are swapped for the
        # whole process): indexed at once, as Wagtail's handlers would.
        if sender in _swapped["search"]:
            search_on_save(instance=instance, raw=raw, **kwargs)
        if sender in _swapped["references"]:
            references_on_save(instance=instance, raw=raw, **kwargs)
        return
    if not raw and instance.pk is not None:
        _state.pending.setdefault(sender, set()).add(instance.pk)


def _search_models() -> list:
    return [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]


@contextmanager
def deferred_indexing():
    """Notes the saves made in the block; indexes them once when it ends (re-entrant:
    an inner block adds to the outer one's list)."""
    if deferring():
        yield
        return
    search_models, reference_models = _search_models(), list(ReferenceIndex.tracked_models)
    for model in search_models:
        post_save.disconnect(search_on_save, sender=model)
    for model in reference_models:
        post_save.disconnect(references_on_save, sender=model)
    _swapped.update(search=frozenset(search_models), references=frozenset(reference_models))
    post_save.connect(_note, dispatch_uid=DISPATCH_UID)
    _state.pending = {}
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
        post_save.disconnect(dispatch_uid=DISPATCH_UID)
        _swapped.update(search=frozenset(), references=frozenset())
        for model in search_models:
            post_save.connect(search_on_save, sender=model)
        for model in reference_models:
            post_save.connect(references_on_save, sender=model)
    with transaction.atomic():
        _index_search(pending, set(search_models))
        _index_references(pending, set(reference_models))


def _saved(pending: dict, models: set):
    for model, pks in pending.items():
        if model in models:
            yield from model._default_manager.filter(pk__in=pks)


def _index_search(pending: dict, models: set) -> None:
    by_model = {}
    for obj in _saved(pending, models):
        indexed = index.get_indexed_instance(obj)
        if indexed is not None:
            by_model.setdefault(type(indexed), {})[indexed.pk] = indexed
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        for model, objects in by_model.items():
            try:
                backend.add_bulk(model, list(objects.values()))
            except Exception:
                # As Wagtail's handlers do for each save (modelsearch.index): a search
                # server down loses no page, the database's own index is still written.
                logger.exception(
                    "Exception raised while adding %d %s into the '%s' search backend",
                    len(objects),
                    model._meta.label,
                    name,
                )
                if not backend.catch_indexing_errors:
                    raise


def _parent(instance):
    """The object whose references a child row belongs to, as Wagtail's
    `update_reference_index_task` finds it (through its ParentalKeys)."""
    while True:
        keys = [f for f in instance._meta.get_fields() if isinstance(f, ParentalKey)]
        if not keys:
            return instance
        instance = getattr(instance, keys[0].name)
        if instance is None:
            return None


def _index_references(pending: dict, models: set) -> None:
    done = set()
    for obj in _saved(pending, models):
        owner = _parent(obj)
        if owner is None or not ReferenceIndex.is_indexed(owner._meta.model):
            continue
        key = (owner._meta.label, owner.pk)
        if key not in done:
            done.add(key)
            ReferenceIndex.create_or_update_for_object(owner)
