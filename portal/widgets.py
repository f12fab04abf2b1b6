"""The admin's date and time pickers, keeping what the editor typed.

Wagtail's pickers (the jQuery "datetimepicker") check the field when it loses focus:
whatever they cannot read in the one display format (16/03/2027, 14:30) they replace
with *now*, so "2027-03-16" became today's date and "14 h 30" the current time, silently.
Here they leave the text alone; the server reads every format of
portal/formats/fr/formats.py and answers anything else with a form error."""

from django.db import models

from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput, AdminTimeInput

KEEP_TYPED_TEXT = {"validateOnBlur": False}


class DateInput(AdminDateInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_TEXT}


class TimeInput(AdminTimeInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_TEXT}


class DateTimeInput(AdminDateTimeInput):
    def get_config(self):
        return {**super().get_config(), **KEEP_TYPED_TEXT}


def use_in_admin_forms():
    """Every date, time and date-time field of a page, snippet or setting form."""
    register_form_field_override(models.DateField, override={"widget": DateInput})
    register_form_field_override(models.TimeField, override={"widget": TimeInput})
    register_form_field_override(models.DateTimeField, override={"widget": DateTimeInput})
