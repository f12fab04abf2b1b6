from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Project-level templates, static files and template tags shared by every site."""

    name = "portal"
    label = "portal"
