"""The admin's sign-in form. Wagtail's own gives its password field no label, so Django
makes one from the field's name, untranslated: editors read "Password" beside "Nom
d'utilisateur" (Wagtail 8; WAGTAILADMIN_USER_LOGIN_FORM, portal/settings/base.py)."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")
