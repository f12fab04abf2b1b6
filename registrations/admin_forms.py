"""The admin's forms: opening registrations on an event or a cycle the user may edit,
and a message to every registrant."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page

from agenda.models import EventPage, EventSeriesPage

from .access import editable_pages
from .models import Opening

FIELDS = [
    "is_open",
    "capacity",
    "closes_at",
    "waiting_list",
    "mode",
    "ask_name",
    "ask_organisation",
    "ask_profile",
    "ask_territory",
    "ask_accessibility",
    "question",
]


class OpeningForm(forms.ModelForm):
    class Meta:
        model = Opening
        fields = ["page", *FIELDS]
        widgets = {"closes_at": AdminDateTimeInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["page"]
            return
        pages = (
            Page.objects.type(EventPage, EventSeriesPage)
            .filter(pk__in=editable_pages(user).values("pk"))
            .filter(registration_opening__isnull=True)
            .order_by("-latest_revision_created_at")
        )
        if user.is_superuser:
            pages = Page.objects.type(EventPage, EventSeriesPage).filter(
                registration_opening__isnull=True
            )
        self.fields["page"].queryset = pages
        self.fields["page"].label_from_instance = lambda page: (
            f"{page.title} ({page.get_parent().title})"
        )


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    waiting = forms.BooleanField(
        label=_("Aussi aux personnes en liste d’attente"), required=False, initial=True
    )
