from django.apps import AppConfig


class InteropConfig(AppConfig):
    """OAI-PMH provider, WordPress and iCalendar imports, the open read API."""

    name = "interop"
    label = "interop"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Interopérabilité"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import signals  # noqa: F401
        from .admin_feeds import AgendaFeedPolicy
        from .models import AgendaFeed

        register_permission_policy(AgendaFeed, AgendaFeedPolicy(AgendaFeed))
