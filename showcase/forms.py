from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput

from .models import Section


class ProposeForm(forms.Form):
    note = forms.CharField(
        label=_("Note pour la coordination (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pourquoi ce contenu intéresse le réseau, une date à respecter…"),
    )


class FeatureForm(forms.Form):
    order = forms.IntegerField(
        label=_("Ordre"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("1 pour le premier contenu à la une."),
    )
    until = forms.DateField(label=_("À la une jusqu’au (inclus)"), widget=DateInput)

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("Choisissez une date à venir."))
        return until


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Envoyé aux éditeurs du centre."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SelectSearchForm(forms.Form):
    q = forms.CharField(label=_("Titre contient"), required=False, max_length=100)
    section = forms.ChoiceField(
        label=_("Rubrique"), required=False, choices=[("", _("Toutes"))] + Section.choices
    )


class WorkflowForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Faire valider chaque publication"),
        required=False,
        help_text=_(
            "Les rédacteurs soumettent leurs pages ; un validateur du centre les "
            "publie. Sinon, chaque éditeur publie en autonomie."
        ),
    )
    validators = forms.ModelMultipleChoiceField(
        label=_("Validateurs"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Parmi les éditeurs du centre : ceux qui publient après relecture."),
    )

    def __init__(self, *args, editors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["validators"].queryset = editors

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("enabled") and not cleaned.get("validators"):
            self.add_error("validators", _("Choisissez au moins un validateur."))
        return cleaned
