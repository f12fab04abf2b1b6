"""Admin forms: a user picks only the sites and lists they work for."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .access import sites_for
from .models import MailingList


class MailingListForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_for(self.for_user)


class LetterForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A plain select of the user's lists (not the snippet chooser, which would offer
        # every site's).
        self.fields["mailing_list"] = forms.ModelChoiceField(
            label=_("Liste"),
            queryset=MailingList.objects.filter(site__in=sites_for(self.for_user)).select_related(
                "site"
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status not in ("draft", "scheduled"):
            raise forms.ValidationError(_("Une lettre envoyée ne se modifie plus."))
        return cleaned


class ImportForm(forms.Form):
    mailing_list = forms.ModelChoiceField(label=_("Liste"), queryset=MailingList.objects.none())
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : email, date_consentement (AAAA-MM-JJ), puis facultatives nom, "
            "organisme, profil. UTF-8, séparateur virgule ou point-virgule."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = MailingList.objects.filter(
            site__in=sites_for(user)
        ).select_related("site")


class SendForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Programmer l’envoi le (laisser vide pour envoyer maintenant)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
