"""PostgreSQL: the `title || body` index (0004) without GIN's pending list.

By default a GIN index defers its new entries to a pending list, merged by VACUUM or
once it reaches `gin_pending_list_limit` (4 MB). While it holds thousands of entries
(after an import, a `bootstrap_network` or a rebuild of the index, until autovacuum
comes by) the planner prices the index above reading the whole table, and every search
reads and concatenates all the rows' vectors: 121 ms against 43 ms for "éducation
prioritaire" on the benchmark's 39,000 pages (docs/search.md). Writing each entry into
the index at once costs a publication a few milliseconds; searches are far more
frequent. Nothing to do on other databases."""

from django.db import migrations

INDEX = "search_title_body_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} SET (fastupdate = off)")
        # Turning fastupdate off does not merge what the list already holds.
        schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_french_typography")]
    operations = [migrations.RunPython(forwards, backwards)]
