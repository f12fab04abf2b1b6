from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed by portal.settings.bench only: holds the baseline page type."""

    name = "bench"
    verbose_name = "Benchmark"
    default_auto_field = "django.db.models.BigAutoField"
