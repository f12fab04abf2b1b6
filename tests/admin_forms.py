"""Posting Wagtail admin forms in tests as a browser would."""

from django.forms import CheckboxInput


def admin_form_data(form, **changes):
    """What a browser posts back for a Wagtail admin form: every field's rendered value,
    every inline formset (with its management form), then the changes."""
    data = {}

    def add_form(form):
        for name, field in form.fields.items():
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
