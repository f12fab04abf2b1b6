"""The public registration form, built per opening from the fields it asks (Django
forms: validation, labels and errors as everywhere in the portal)."""

from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from newsletter.models import Profile

# The wording follows REGISTRATIONS_KEEP_DAYS (`daily.erase`): read when the form is
# shown, so a changed setting changes the promise too.
CONSENT_TEXT = _(
    "Vos coordonnées servent à cette inscription seulement : le centre organisateur les "
    "utilise pour vous écrire au sujet de l’événement et les efface au plus tard %(period)s "
    "après ; le lien reçu par courriel vous permet d’annuler et de les effacer à tout moment."
)


def keep_period(days: int) -> str:
    """`REGISTRATIONS_KEEP_DAYS` in words: 365 "un an", 730 "deux ans", 180 "6 mois",
    otherwise "N jours"."""
    words = {1: _("un an"), 2: _("deux ans"), 3: _("trois ans")}
    if days > 0 and days % 365 == 0:
        years = days // 365
        return str(words.get(years) or _("%(n)d ans") % {"n": years})
    if days > 0 and days % 30 == 0:
        months = days // 30
        return str(_("un mois") if months == 1 else _("%(n)d mois") % {"n": months})
    return str(_("un jour") if days == 1 else _("%(n)d jours") % {"n": days})


def consent_text() -> str:
    days = getattr(settings, "REGISTRATIONS_KEEP_DAYS", 365)
    return str(CONSENT_TEXT) % {"period": keep_period(days)}


def session_label(event) -> str:
    when = date_format(event.start_date, "j F Y") if event.start_date else ""
    return f"{event.title} ({when})" if when else event.title


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A honeypot: hidden off-screen, tabbed past, filled only by robots.
    website = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, opening, states, cycle=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.opening = opening
        self.auto_id = f"id_reg{opening.pk}_%s"
        fields = {}
        if opening.ask_name:
            fields["name"] = forms.CharField(
                label=_("Nom et prénom"),
                max_length=160,
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            )
        if opening.ask_organisation:
            fields["organisation"] = forms.CharField(
                label=_("Structure"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "organization"}),
            )
        if opening.ask_profile:
            fields["profile"] = forms.ModelChoiceField(
                Profile.objects.all(), label=_("Profil"), empty_label=_("— choisir —")
            )
        if opening.ask_territory:
            fields["territory"] = forms.CharField(
                label=_("Territoire (commune ou département)"), max_length=120
            )
        if opening.ask_accessibility:
            fields["accessibility"] = forms.CharField(
                label=_("Besoins d’accessibilité (facultatif)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if opening.question:
            fields["answer"] = forms.CharField(
                label=opening.question, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.states = [s for s in states if s.state in ("open", "waiting")]
        if cycle and opening.mode == opening.EACH:
            fields["sessions"] = forms.TypedMultipleChoiceField(
                label=_("Séances"),
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                choices=[
                    (
                        s.event.pk,
                        session_label(s.event)
                        + (" — " + str(_("liste d’attente")) if s.state == "waiting" else ""),
                    )
                    for s in self.states
                ],
                error_messages={"required": _("Choisissez au moins une séance.")},
            )
        # The optional website trap last, after the fields a person fills.
        website = self.fields.pop("website")
        self.fields.update(fields)
        self.fields["website"] = website

    def _post_clean(self):
        super()._post_clean()
        # Each field in error points to its message (read with the field by screen readers).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Laissez ce champ vide."))
        return ""

    def chosen_sessions(self) -> list:
        if "sessions" in self.fields:
            chosen = set(self.cleaned_data["sessions"])
            return [s.event for s in self.states if s.event.pk in chosen]
        return [s.event for s in self.states]

    def details(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("name", "organisation", "profile", "territory", "accessibility", "answer")
            if name in self.cleaned_data
        }
