"""The managed list of profiles (editable afterwards in Paramètres › Profils des
abonnés), and a monthly list for every site that already exists (new sites get theirs
from newsletter.signals)."""

from django.db import migrations

PROFILES = [
    "Élu·e",
    "Agent·e de collectivité",
    "Services de l'État",
    "Professionnel·le de la politique de la ville",
    "Association",
    "Conseil citoyen, habitant·e",
    "Chercheur·se, étudiant·e",
    "Autre",
]


def forwards(apps, schema_editor):
    Profile = apps.get_model("newsletter", "Profile")
    MailingList = apps.get_model("newsletter", "MailingList")
    Site = apps.get_model("wagtailcore", "Site")
    for order, name in enumerate(PROFILES):
        Profile.objects.get_or_create(name=name, defaults={"sort_order": order})
    for site in Site.objects.all():
        MailingList.objects.get_or_create(
            site=site,
            slug="mensuelle",
            defaults={
                "name": "Lettre mensuelle",
                "description": "Ce que le site a publié dans le mois : actualités, agenda, ressources.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0001_initial"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
