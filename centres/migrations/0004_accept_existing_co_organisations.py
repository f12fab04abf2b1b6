"""Every centre already named on a page (an event's organisers, a publication's authors)
agreed before consent existed: marked accepted, so that no site changes."""

from django.db import migrations
from django.utils import timezone

RELATIONS = [("agenda", "EventPage", "organisers"), ("publications", "PublicationPage", "authors")]


def accept_existing(apps, schema_editor):
    CoOrganisation = apps.get_model("centres", "CoOrganisation")
    now = timezone.now()
    for app_label, model_name, field_name in RELATIONS:
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        through = field.remote_field.through
        keys = [key for key in through._meta.get_fields() if key.many_to_one]
        centre = next(key.name for key in keys if key.related_model._meta.model_name == "centre")
        page = next(key.name for key in keys if key.name != centre)
        pairs = through.objects.values_list(page, centre)
        CoOrganisation.objects.bulk_create(
            [
                CoOrganisation(page_id=page, centre_id=centre, status="accepted", decided_at=now)
                for page, centre in pairs.iterator()
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0003_co_organisation"),
        ("agenda", "0001_initial"),
        ("publications", "0003_news_tags"),
    ]

    operations = [migrations.RunPython(accept_existing, migrations.RunPython.noop)]
