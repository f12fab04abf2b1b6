from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OffersConfig(AppConfig):
    name = "offers"
    label = "offers"
    verbose_name = _("Offres et appels")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Open offers on a centre's home (centres.sections).
        from offers.home_sections import register_sections

        register_sections()
