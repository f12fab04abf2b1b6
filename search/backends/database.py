"""The database backend with French matching, the same on PostgreSQL and SQLite.

Every term of a plain-text query is normalised alike (`search.text.terms`: accents
folded, stop words dropped, plural mark removed) and matches as a prefix:

- PostgreSQL: Wagtail's backend with the `french_unaccent` text search configuration
  (French stemming after unaccent, created by this app's migration); the prefix is
  stemmed by it too, so "egalite" finds "égalité", "discrimination" finds
  "discriminations" and "enjeu" finds "enjeux" (which the stemmer alone keeps apart);
  `simple_unaccent` for the autocomplete.
- SQLite: Wagtail's FTS5 backend already folds accents (FTS5's unicode61 tokenizer
  removes diacritics); the prefix of the light stem finds the plurals. No real
  stemming: FTS5 has no French stemmer.

Combined queries (`And`/`Or` of plain texts: the synonyms and partial matches of
`search.matching`) are Wagtail's own and reach these compilers term by term."""

from django.db import connection

from modelsearch.backends.database import SearchBackend as wagtail_database_backend
from modelsearch.query import PlainText

from ..text import terms as normalised_terms

SHORT = 3  # terms of at most this many letters match whole words only


def _lexemes(query, lexeme_class):
    """The query's terms as lexemes joined by its operator (None if no term): a prefix
    from four letters on; shorter terms are mostly acronyms, matched whole ("PRE" must
    not find "prévention")."""
    terms = normalised_terms(query.query_string)
    if not terms:
        return None
    lexemes = lexeme_class(terms[0], prefix=len(terms[0]) > SHORT)
    for term in terms[1:]:
        if query.operator.upper() == "AND":
            lexemes &= lexeme_class(term, prefix=len(term) > SHORT)
        else:
            lexemes |= lexeme_class(term, prefix=len(term) > SHORT)
    return lexemes


def SearchBackend(params):  # noqa: N802  (Wagtail loads backends by this name)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
        from modelsearch.backends.database.sqlite.sqlite import (
            SQLiteSearchBackend,
            SQLiteSearchQueryCompiler,
        )

        # UPGRADE CHECKPOINT modelsearch==1.3.2: `SQLiteSearchQueryCompiler.build_search_query_content`, `Lexeme`, `SearchQueryExpression`, `query_compiler_class` (tests/test_search_page.py::test_french_matching_accents_plurals_and_case)
        class FrenchPrefixCompiler(SQLiteSearchQueryCompiler):
            def build_search_query_content(self, query, config=None):
                if not isinstance(query, PlainText):
                    return super().build_search_query_content(query, config)
                lexemes = _lexemes(query, Lexeme)
                return None if lexemes is None else SearchQueryExpression(lexemes, config=config)

        class FrenchSQLiteBackend(SQLiteSearchBackend):
            query_compiler_class = FrenchPrefixCompiler

        return FrenchSQLiteBackend(params)
    params = dict(params)
    if connection.vendor != "postgresql":
        return wagtail_database_backend(params)
    from django.contrib.postgres.search import SearchQuery

    from modelsearch.backends.database.postgres.postgres import (
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
    )
    from modelsearch.backends.database.postgres.query import Lexeme as PostgresLexeme

    # UPGRADE CHECKPOINT modelsearch==1.3.2: `PostgresSearchQueryCompiler.build_tsquery_content(query, config, invert)`, the postgres `Lexeme(value, invert=, prefix=)` (tests/test_search_matching.py::test_singular_and_plural_find_each_other_with_or_without_accents)
    class FrenchPrefixPostgresCompiler(PostgresSearchQueryCompiler):
        def build_tsquery_content(self, query, config=None, invert=False):
            if not isinstance(query, PlainText):
                return super().build_tsquery_content(query, config=config, invert=invert)
            lexemes = _lexemes(
                query, lambda term, prefix: PostgresLexeme(term, prefix=prefix, invert=invert)
            )
            if lexemes is None:
                return None
            return SearchQuery(lexemes, search_type="raw", config=config)

    class FrenchPostgresBackend(PostgresSearchBackend):
        query_compiler_class = FrenchPrefixPostgresCompiler

    params.setdefault("SEARCH_CONFIG", "french_unaccent")
    backend = FrenchPostgresBackend(params)
    # Wagtail's is "simple" (no stemming of half-typed words) but keeps accents.
    # UPGRADE CHECKPOINT modelsearch==1.3.2: the PostgreSQL backend's `autocomplete_config` attribute (tests/test_search_page.py::test_autocomplete_suggests_titles_in_scope)
    backend.autocomplete_config = "simple_unaccent"
    return backend
