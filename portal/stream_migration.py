"""Turning a rich-text field into a StreamField without losing a word: each stored text
(and each revision's, so drafts and history keep theirs) becomes one paragraph block
holding the same HTML. Runs while the column is still text, so that the column's type
change that follows (text → jsonb on PostgreSQL) reads valid JSON."""

import json
import uuid

from django.db import migrations


def as_stream(text):
    if not text or not str(text).strip():
        return []
    return [{"type": "paragraph", "value": str(text), "id": str(uuid.uuid4())}]


def rich_text_to_stream(app_label, model_name, field):
    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        rows = model.objects.values_list("pk", field)
        for pk, text in rows.iterator():
            stream = as_stream(text)
            model.objects.filter(pk=pk).update(**{field: json.dumps(stream)})
        content_type = (
            apps.get_model("contenttypes", "ContentType")
            .objects.filter(app_label=app_label, model=model_name.lower())
            .first()
        )
        if content_type is None:
            return
        revisions = apps.get_model("wagtailcore", "Revision").objects.filter(
            content_type_id=content_type.pk
        )
        for revision in revisions.iterator():
            value = revision.content.get(field)
            if isinstance(value, str) and not value.lstrip().startswith("["):
                revision.content[field] = as_stream(value)
                revision.save(update_fields=["content"])

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)
