"""The field's synonyms on the search server (SEARCH_URL): once a change of the list
(`search.models.Synonym`, in the admin) is committed, a background task writes the whole
list into the analysis settings of the server's indices
(`search.backends.opensearch.update_synonyms`). Idempotent: it writes the current list,
whatever ran before. The database backends need nothing: the query expansion reads the
list, cached under the content version that the change bumps.

A server that is down or left alone after a failure is not waited for: the failure is
logged, and the list reaches the server at the next change or with
`manage.py rebuild_search_index --backend external`; meanwhile the query expansion
(`search.matching`, every backend) applies the synonyms anyway."""

import logging

from django.db import transaction

from portal.tasks import background_task

from . import engine

logger = logging.getLogger("search")


def update_server_synonyms() -> list[str]:
    """The server's indices updated with the current synonyms (none without a server)."""
    from wagtail.search.backends import get_search_backend

    from .backends.opensearch import update_synonyms

    if not engine.external_configured():
        return []
    if engine.external_circuit().is_open():
        logger.warning("search server left alone: synonyms not updated on it")
        return []
    try:
        return update_synonyms(get_search_backend(engine.EXTERNAL))
    except Exception as error:  # refused, timed out, HTTP error: logged, never raised
        logger.error(
            "search server: synonyms not updated (%r); they reach it at the next change "
            "or with rebuild_search_index --backend external",
            error,
        )
        return []


@background_task
def update_server_synonyms_task():
    update_server_synonyms()


def synonyms_changed(sender, **kwargs):
    if not engine.external_configured():
        return

    def enqueue():
        try:
            update_server_synonyms_task.enqueue()
        except Exception:
            logger.exception("search server: synonyms update not enqueued")

    transaction.on_commit(enqueue)


def connect():
    from django.db.models.signals import post_delete, post_save

    from .models import Synonym

    post_save.connect(synonyms_changed, sender=Synonym, dispatch_uid="search-server-synonyms")
    post_delete.connect(
        synonyms_changed, sender=Synonym, dispatch_uid="search-server-synonyms-deleted"
    )
