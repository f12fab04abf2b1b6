from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    label = "network"
    verbose_name = "Réseau (mise en place)"
