from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    label = "registrations"
    verbose_name = _("Inscriptions aux événements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsletter.models import Profile
        from portal.cache import bump_on_change

        from . import signals  # noqa: F401  (mails on changes; cached pages renewed)

        # The form's cached HTML lists the profiles (registration_tags).
        bump_on_change(Profile)
