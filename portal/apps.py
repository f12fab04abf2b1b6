from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-level templates, static files, template tags and caching shared by every
    site."""

    name = "portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import document_text, i18n, images, widgets
        from .cache import connect_signals

        connect_signals()
        images.register()
        document_text.connect_signals()
        i18n.connect_signals()
        widgets.use_in_admin_forms()
