"""The public subscription form: e-mail, optional name, organisation and profile, the
lists the site offers. Every field is bounded and refuses control characters (a header
injection attempt is a form error, never a mail)."""

import re

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from .models import MailingList, Profile

CONTROL = re.compile(r"[\x00-\x1f\x7f]")

CONSENT_TEXT = _(
    "J’accepte de recevoir les lettres choisies à cette adresse. Je peux me désinscrire "
    "à tout moment par le lien présent dans chaque lettre. L’adresse n’est utilisée que "
    "pour ces envois et n’est jamais transmise à un tiers."
)


def clean_line(value: str) -> str:
    if CONTROL.search(value or ""):
        raise forms.ValidationError(_("Caractères non autorisés."))
    return (value or "").strip()


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Nom (facultatif)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisme (facultatif)"),
        max_length=160,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    profile = forms.ModelChoiceField(
        label=_("Profil (facultatif)"), queryset=Profile.objects.all(), required=False
    )
    lists = forms.ModelMultipleChoiceField(
        label=_("Lettres"),
        queryset=MailingList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une lettre.")},
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        offered = MailingList.objects.filter(site=site, active=True).order_by("created_at")
        self.fields["lists"].queryset = offered
        default = offered.first()
        if default is not None:
            self.fields["lists"].initial = [default.pk]
        # The opens consent, only where a list offered measures them: its own box, never
        # ticked in advance, never a condition of the subscription.
        self.measuring = [m for m in offered if m.count_opens]
        if self.measuring:
            self.fields["opens"] = forms.BooleanField(
                label=self.measuring[0].opens_consent_text, required=False
            )

    def clean_email(self):
        value = self.cleaned_data["email"]
        if CONTROL.search(value):
            raise forms.ValidationError(_("Saisissez une adresse électronique valide."))
        value = value.strip()
        local, _at, _domain = value.rpartition("@")
        # Internationalised domains are accepted (sent in punycode); a non-ASCII local
        # part needs SMTPUTF8, which many servers refuse: refused here, clearly.
        if not local.isascii():
            raise forms.ValidationError(
                _(
                    "Les adresses avec des caractères accentués avant « @ » ne sont pas "
                    "prises en charge."
                )
            )
        EmailValidator(message=_("Saisissez une adresse électronique valide."))(value)
        return value

    def clean_name(self):
        return clean_line(self.cleaned_data["name"])

    def clean_organisation(self):
        return clean_line(self.cleaned_data["organisation"])
