"""The field's acronyms and synonyms the portal starts with (`search.synonyms.SEED`),
added once; the coordination edits them in the admin afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    from search.synonyms import SEED

    Synonym = apps.get_model("search", "Synonym")
    if Synonym.objects.exists():
        return
    Synonym.objects.bulk_create(
        [Synonym(expressions="\n".join(expressions)) for expressions in SEED]
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0006_search_term_trigrams")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
