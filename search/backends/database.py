"""The database backend with French matching.

PostgreSQL: Wagtail's backend with the `french_unaccent` text search configuration
(French stemming after unaccent, created by this app's migration), so "egalite" finds
"égalité" and "discrimination" finds "discriminations"; `simple_unaccent` for the autocomplete.

SQLite: Wagtail's FTS5 backend already folds accents (FTS5's unicode61 tokenizer
removes diacritics); this one also matches every term as a prefix of its light French
stem (plural "s"/"x" dropped), so "discrimination" finds "discriminations" and
"femmes" finds "femme". No real stemming: FTS5 has no French stemmer."""

from django.db import connection

from modelsearch.backends.database import SearchBackend as wagtail_database_backend
from modelsearch.query import PlainText

from ..text import light_stem


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
                terms = [light_stem(term) for term in query.query_string.split()]
                if not terms:
                    return None
                lexemes = Lexeme(terms[0], prefix=True)
                for term in terms[1:]:
                    if query.operator.upper() == "AND":
                        lexemes &= Lexeme(term, prefix=True)
                    else:
                        lexemes |= Lexeme(term, prefix=True)
                return SearchQueryExpression(lexemes, config=config)

        class FrenchSQLiteBackend(SQLiteSearchBackend):
            query_compiler_class = FrenchPrefixCompiler

        return FrenchSQLiteBackend(params)
    params = dict(params)
    if connection.vendor == "postgresql":
        params.setdefault("SEARCH_CONFIG", "french_unaccent")
    backend = wagtail_database_backend(params)
    if connection.vendor == "postgresql":
        # Wagtail's is "simple" (no stemming of half-typed words) but keeps accents.
        # UPGRADE CHECKPOINT modelsearch==1.3.2: the PostgreSQL backend's `autocomplete_config` attribute (tests/test_search_page.py::test_autocomplete_suggests_titles_in_scope)
        backend.autocomplete_config = "simple_unaccent"
    return backend
