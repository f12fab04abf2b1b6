"""PostgreSQL: the `pg_trgm` extension and a trigram index on the vocabulary's words,
for "Vouliez-vous dire …" (`search.vocabulary.closest`). Creating an extension needs a
role allowed to (the database owner on PostgreSQL 13+ for this trusted extension).
Nothing to do on other databases (difflib there)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS search_searchterm_folded_trgm
        ON search_searchterm USING gin (folded gin_trgm_ops)""",
]
DROP = ["DROP INDEX IF EXISTS search_searchterm_folded_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_synonym_searchterm")]
    operations = [migrations.RunPython(forwards, backwards)]
