"""Posting Wagtail admin forms in tests as a browser would."""

from django.forms import CheckboxInput

from wagtail.blocks import BlockWidget, RichTextBlock, StructBlock
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def stream_form_data(name, value):
    """A StreamField as its editor posts it: each block's type, order and value (rich
    text as Draftail's content state, a struct block's simple children as text)."""
    items = []
    for child in value:
        if isinstance(child.block, RichTextBlock):
            items.append((child.block_type, rich_text(child.value.source)))
        elif isinstance(child.block, StructBlock):
            items.append((child.block_type, {k: str(v) for k, v in child.value.items()}))
        else:
            raise NotImplementedError(f"posting a {child.block_type} block")
    return nested_form_data({name: streamfield(items)})


def admin_form_data(form, **changes):
    """What a browser posts back for a Wagtail admin form: every field's rendered value,
    every inline formset (with its management form), then the changes."""
    data = {}

    def add_form(form):
        for name, field in form.fields.items():
            if isinstance(field.widget, BlockWidget):
                data.update(stream_form_data(form.add_prefix(name), form[name].value()))
                continue
            if isinstance(field.widget, CheckboxInput):
                if form[name].value():  # an unticked box posts nothing
                    data[form.add_prefix(name)] = "on"
                continue
            value = field.widget.format_value(form[name].value())
            data[form.add_prefix(name)] = "" if value is None else value
        for formset in getattr(form, "formsets", {}).values():
            for key, value in formset.management_form.initial.items():
                data[formset.management_form.add_prefix(key)] = value
            for child in formset.forms:
                add_form(child)

    add_form(form)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
