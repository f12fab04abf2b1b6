"""Which backend answers a search: OpenSearch/Elasticsearch when SEARCH_URL configures
one (alias `external`), the database otherwise, and the database again whenever the
external server fails. Both are kept up to date on every publish (Wagtail indexes into
every configured backend), so the fallback answers from a fresh index."""

import logging

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.expressions import CombinedExpression

from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from modelsearch.backends.base import EmptySearchResults
from modelsearch.query import PlainText

from portal import circuit

logger = logging.getLogger("search")

EXTERNAL = "external"
# The external server ranks; the database filters and counts facets over its best hits.
MAX_EXTERNAL_HITS = 500
RETRY_AFTER_SECONDS = 30


def external_configured() -> bool:
    return EXTERNAL in settings.WAGTAILSEARCH_BACKENDS


def external_circuit():
    """After a failure the external server is left alone for a while (searches answer
    from the database, publications are indexed there only): a dead or hung server must
    not cost every visitor or every publication a timeout. Shared with the indexing of
    search.backends.opensearch."""
    return server_circuit(settings.WAGTAILSEARCH_BACKENDS[EXTERNAL]["URLS"][0])


def server_circuit(url: str):
    return circuit.for_url("search", url, RETRY_AFTER_SECONDS)


def external_available() -> bool:
    return external_configured() and not external_circuit().is_open()


def reset():
    """Forget a past failure (tests, and after an operator restores the server)."""
    if external_configured():
        external_circuit().reset()


def match(query: str, model, *, autocomplete=False):
    """`(queryset, backend name)`: the model's rows matching `query`, best first."""
    if external_available():
        try:
            return _external(query, model, autocomplete), EXTERNAL
        except Exception as error:  # connection refused, timeout, HTTP 5xx, bad answer
            external_circuit().trip(error)
            logger.error("search server unreachable, answering from the database: %r", error)
    return _database(query, model, autocomplete), "database"


def ranked_ids(query: str, model, only=None, units=()) -> tuple[list[int], str]:
    """`(ids, backend name)`: the pks of the model's rows matching `query`, best first
    (among rows of the `only` subclasses, if given, on PostgreSQL's database backend:
    the caller keeps what it lists anyway). There, read from Wagtail's index table
    alone (see `_ranked_entries`); otherwise the ids of `match`'s queryset.

    With `units` (queries), the rows matching more of them come first, best first
    among those matching as many (the partial matches of `search.matching`)."""
    if connection.vendor == "postgresql" and not external_available():
        return _ranked_entries(query, model, only, units), "database"
    matched, backend = match(query, model)
    ids = list(matched.values_list("pk", flat=True))
    if units:
        matching = [set(ranked_ids(unit, model, only)[0]) for unit in units]
        ids.sort(key=lambda pk: -sum(pk in pks for pks in matching))  # stable
    return ids, backend


def _ranked_entries(query, model, only=None, units=()):
    """The match and rank of Wagtail's PostgreSQL compiler (`(title || body) @@ query`,
    the title's rank times its weight plus the body's; a combined query's rank taken
    over the whole query rather than summed per alternative), over the index table only: the
    compiler's own queryset joins every page to its index row through a text cast of
    the id, which cost a third of a search matching thousands of pages. The caller
    keeps the ids in scope (live, public, listed types). Ties go to the newest page,
    as Wagtail orders them. The units matched by each row are counted in the same
    query (one `@@` per unit over the matched rows), not by ranking each unit's
    matches apart (one query per unit, each ranking thousands of rows)."""
    backend = get_search_backend("default")
    results = backend.search(query, model, operator="and")
    if isinstance(results, EmptySearchResults):
        return []
    # UPGRADE CHECKPOINT modelsearch==1.3.2: PostgreSQL `results.query_compiler` (get_config, build_tsrank, build_tsquery, query) over `IndexEntry` title, body, title_norm (tests/test_search_table.py::test_the_index_table_match_ranks_as_wagtails_query)
    compiler = results.query_compiler
    config = compiler.get_config(backend)
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    if isinstance(compiler.query, PlainText):
        rank = compiler.build_tsrank(F("title"), compiler.query, config=config) * F(
            "title_norm"
        ) + compiler.build_tsrank(F("body"), compiler.query, config=config)
    else:
        # A combined query (synonyms, partial matches: search.matching) is ranked as one
        # tsquery per field: Wagtail's compiler ranks every alternative on its own (14
        # ts_rank calls a row for a unit of seven), the most costly part of a search
        # matching thousands of pages (docs/search.md, "Figures").
        weights = compiler.sql_weights
        rank = SearchRank(F("title"), tsquery, weights=weights) * F("title_norm") + SearchRank(
            F("body"), tsquery, weights=weights
        )
    # UPGRADE CHECKPOINT Django==5.2.19: `django.db.models.expressions.CombinedExpression` joins two search vectors (tests/test_search_table.py::test_the_index_table_match_ranks_as_wagtails_query)
    vector = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    models = only or [m for m in apps.get_models() if issubclass(m, model)]
    content_types = ContentType.objects.get_for_models(*models).values()
    matched_units = sum(
        (Case(When(_vector_=_tsquery(backend, unit, model), then=1), default=0) for unit in units),
        Value(0),
    )
    entries = (
        IndexEntry.objects.filter(content_type__in=content_types)
        .annotate(_vector_=vector)
        .filter(_vector_=tsquery)
        .values_list("object_id", rank, matched_units)
    )
    # UPGRADE CHECKPOINT Django==5.2.19: `QuerySet.query.sql_with_params()` embedded in hand-written SQL (search engine) (tests/test_search_table.py::test_the_index_table_match_ranks_as_wagtails_query)
    sql, params = entries.query.sql_with_params()
    # One row back, an integer array (parsed by psycopg's C code), not a row per match.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT array_agg(m.id ORDER BY m.units DESC, m.score DESC, m.id DESC) FROM "
            f"(SELECT e.object_id::integer AS id, e.score, e.units "
            f"FROM ({sql}) e (object_id, score, units)) m",
            params,
        )
        return cursor.fetchone()[0] or []


def _tsquery(backend, query, model):
    """The tsquery Wagtail's PostgreSQL compiler writes for `query` (no match: none)."""
    results = backend.search(query, model, operator="and")
    if isinstance(results, EmptySearchResults):
        return SearchQuery("")  # matches nothing
    # UPGRADE CHECKPOINT modelsearch==1.3.2: PostgreSQL `results.query_compiler` (get_config, build_tsquery) for each unit of a partial match (tests/test_search_matching.py::test_some_words_matching_lists_the_closest_results_and_says_so)
    compiler = results.query_compiler
    return compiler.build_tsquery(compiler.query, config=compiler.get_config(backend))


def _search(backend, query, model, autocomplete):
    method = backend.autocomplete if autocomplete else backend.search
    return method(query, model, operator="and")


def _database(query, model, autocomplete):
    backend = get_search_backend("default")
    results = _search(backend, query, model, autocomplete)
    if isinstance(results, EmptySearchResults):
        return model.objects.none()
    # UPGRADE CHECKPOINT modelsearch==1.3.2: the database backend's `results.query_compiler.search(config, None, None, score_field=...)` (tests/test_search_page.py::test_portal_searches_the_whole_network_with_type_centre_date_and_marked_excerpt)
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
    rank = Case(
        *[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField()
    )
    return model.objects.filter(pk__in=ids).annotate(_score=rank).order_by("_score")
