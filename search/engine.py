"""Which backend answers a search: OpenSearch/Elasticsearch when SEARCH_URL configures
one (alias `external`), the database otherwise, and the database again whenever the
external server fails. Both are kept up to date on every publish (Wagtail indexes into
every configured backend), so the fallback answers from a fresh index."""

import logging
import time

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When

from wagtail.search.backends import get_search_backend

from modelsearch.backends.base import EmptySearchResults

logger = logging.getLogger("search")

EXTERNAL = "external"
# The external server ranks; the database filters and counts facets over its best hits.
MAX_EXTERNAL_HITS = 500
# After a failure, the external server is left alone for a while: a dead server must
# not cost every visitor a connection timeout.
RETRY_AFTER_SECONDS = 30
_down_until = 0.0


def external_configured() -> bool:
    return EXTERNAL in settings.WAGTAILSEARCH_BACKENDS


def reset():
    """Forget a past failure (tests, and after an operator restores the server)."""
    global _down_until
    _down_until = 0.0


def match(query: str, model, *, autocomplete=False):
    """`(queryset, backend name)`: the model's rows matching `query`, best first."""
    global _down_until
    if external_configured() and time.monotonic() >= _down_until:
        try:
            return _external(query, model, autocomplete), EXTERNAL
        except Exception as error:  # connection refused, timeout, HTTP 5xx, bad answer
            _down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.error("search server unreachable, answering from the database: %r", error)
    return _database(query, model, autocomplete), "database"


def _search(backend, query, model, autocomplete):
    method = backend.autocomplete if autocomplete else backend.search
    return method(query, model, operator="and")


def _database(query, model, autocomplete):
    backend = get_search_backend("default")
    results = _search(backend, query, model, autocomplete)
    if isinstance(results, EmptySearchResults):
        return model.objects.none()
    compiler = results.query_compiler
    # The compiler's own queryset (the match and its rank as SQL): facets count over it
    # as a subquery and the page of results is one more query, whatever the matches.
    return compiler.search(compiler.get_config(backend), None, None, score_field="_score")


def _external(query, model, autocomplete):
    backend = get_search_backend(EXTERNAL)
    results = _search(backend, query, model, autocomplete)
    ids = [obj.pk for obj in results[:MAX_EXTERNAL_HITS]]
    if not ids:
        return model.objects.none()
    rank = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)],
                output_field=IntegerField())
    return model.objects.filter(pk__in=ids).annotate(_score=rank).order_by("_score")
