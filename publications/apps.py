from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    label = "publications"
    verbose_name = _("Ressources")
    default_auto_field = "django.db.models.BigAutoField"
