"""Search backends of the portal: the database (`database`, French matching on
PostgreSQL and SQLite) and OpenSearch/Elasticsearch when SEARCH_URL is set
(`search.engine` picks one per request and falls back to the database)."""
