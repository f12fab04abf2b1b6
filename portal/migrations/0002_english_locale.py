"""Translations (docs/i18n.md): the English locale, beside the French one Wagtail
created from LANGUAGE_CODE. Translating a page to English needs it in every database."""

from django.db import migrations


def create_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_english, migrations.RunPython.noop)]
