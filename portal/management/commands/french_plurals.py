"""`make messages` after `makemessages -l fr`: the French catalogue holds only the plural
strings, each translated by itself, under French plural rules ("0 résultat", "1
résultat", "2 résultats"). Without it gettext falls back to the source strings with the
English rule (n != 1), which writes "0 résultats"."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

PLURAL_FORMS = "nplurals=2; plural=(n > 1);"


def french_catalogue() -> Path:
    return Path(settings.BASE_DIR) / "portal" / "locale" / "fr" / "LC_MESSAGES" / "django.po"


class Command(BaseCommand):
    help = "Remplit le catalogue français : les chaînes au pluriel, règles du français."

    def handle(self, *args, **options):
        import polib

        path = french_catalogue()
        catalogue = polib.pofile(str(path))
        catalogue.metadata["Plural-Forms"] = PLURAL_FORMS
        catalogue.metadata["Language"] = "fr"
        catalogue.metadata_is_fuzzy = False
        for entry in list(catalogue):
            if not entry.msgid_plural or entry.obsolete:
                catalogue.remove(entry)
                continue
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        catalogue.save(str(path))
        catalogue.save_as_mofile(str(path.with_suffix(".mo")))
        self.stdout.write(f"{len(catalogue)} plural strings in {path}")
