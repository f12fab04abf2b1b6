"""Search index rows for the bench's bulk events and publications, inserted in bulk.

bench/seed.py inserts tens of thousands of pages without saving them one by one, so
Wagtail's signal handlers never index them; `rebuild_search_index` would, in about 25
minutes (Wagtail compiles one Django expression per field of every page: ~7 ms a page).
Here the texts come from Wagtail's own extraction (`ObjectIndexer.prepare_field`: the
same fields, weights and rich-text stripping as publishing) and the vectors are
computed by PostgreSQL in one INSERT per batch, written as Wagtail's backend writes
them (`setweight(to_tsvector(config, text), weight)` joined with `||`, same columns,
then the title norms refreshed as after any indexing).
tests/test_search_bulk_index.py checks that a bulk row equals Wagtail's own row.

Other databases (the SQLite default): Wagtail's own indexing of the same pages (slower,
exact by construction)."""

from django.db import connection

BATCH = 500


def _texts(indexer, obj, related):
    """(title, body, autocomplete) lists of (text, weight), in Wagtail's field order.
    `related` gives the objects of each RelatedFields (e.g. the Tag rows of `tags`),
    which bulk-built instances cannot read from the database."""
    from modelsearch.index import AutocompleteField, RelatedFields, SearchField

    title, body, autocomplete = [], [], []
    for field in indexer.search_fields:
        if isinstance(field, RelatedFields):
            rows = [
                (sub_field, sub_obj)
                for sub_obj in related.get(field.field_name, [])
                for sub_field in field.fields
            ]
        else:
            rows = [(field, obj)]
        for top_field, source in rows:
            for current, weight, value in indexer.prepare_field(source, top_field):
                if isinstance(current, AutocompleteField):
                    autocomplete.append((value, weight))
                elif isinstance(current, SearchField):
                    (title if current.field_name == "title" else body).append((value, weight))
    return title, body, autocomplete


def _vector_sql(texts, config, params):
    """Wagtail's vector of `texts` (ObjectIndexer.as_vector), as SQL with params."""
    texts = [(text.strip(), weight) for text, weight in texts]
    texts = [(text, weight) for text, weight in texts if text]
    if not texts:
        params.append("")
        return "to_tsvector(COALESCE(%s, ''))"  # Wagtail's EMPTY_VECTOR
    parts = []
    for text, weight in texts:
        params.extend([config, text, weight])
        parts.append("setweight(to_tsvector(%s::regconfig, COALESCE(%s, '')), %s)")
    return " || ".join(parts)


def add_index_entries(model, objects, related=None, log=None) -> int:
    """Index `objects` (instances of `model` with their pk and every searchable field
    set; `related[pk]` = {relation name: objects} for RelatedFields) in the default
    search backend. Returns the number of rows written."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    related = related or {}
    backend = get_search_backend("default")
    index = backend.get_index_for_model(model)
    if connection.vendor != "postgresql":
        # Wagtail's own indexing reads RelatedFields from the database: the rows exist.
        for start in range(0, len(objects), BATCH):
            index.add_items(
                model,
                list(model.objects.filter(pk__in=[o.pk for o in objects[start : start + BATCH]])),
            )
        return len(objects)

    # UPGRADE CHECKPOINT modelsearch==1.3.2: PostgreSQL `ObjectIndexer` (`search_fields`, `prepare_field`) and the index table's columns (tests/test_search_bulk_index.py::test_bulk_rows_equal_wagtails_own_indexing)
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer

    content_type = ContentType.objects.get_for_model(model).pk
    table = IndexEntry._meta.db_table
    for start in range(0, len(objects), BATCH):
        rows, params = [], []
        for obj in objects[start : start + BATCH]:
            indexer = ObjectIndexer(obj, backend)
            title, body, autocomplete = _texts(indexer, obj, related.get(obj.pk, {}))
            params.extend([content_type, str(obj.pk)])
            vectors = [
                _vector_sql(title, backend.config, params),
                _vector_sql(autocomplete, backend.autocomplete_config, params),
                _vector_sql(body, backend.config, params),
            ]
            # Plain texts for fuzzy search, as ObjectIndexer.title_text / body_text.
            params.append(" ".join(t.strip() for t, _w in title if t.strip()))
            params.append(" ".join(t.strip() for t, _w in body if t.strip()))
            rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body,"
                " title_norm, title_text, body_text) VALUES "
                + ", ".join(rows)
                + " ON CONFLICT (content_type_id, object_id) DO UPDATE SET"
                " title = EXCLUDED.title, title_norm = 1.0,"
                " autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
                " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                params,
            )
    # As after Wagtail's own add_items: new rows' title norm (average title length ÷
    # this title's length), one UPDATE for all of them (a private method of the backend:
    # revisit on a Wagtail upgrade).
    # UPGRADE CHECKPOINT modelsearch==1.3.2: `Index._refresh_title_norms()` after rows written in bulk (tests/test_search_bulk_index.py::test_bulk_rows_equal_wagtails_own_indexing)
    index._refresh_title_norms()
    return len(objects)
