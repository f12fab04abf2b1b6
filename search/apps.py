from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import warmup
        from portal.cache import bump_on_change

        from . import signals, table
        from .models import SearchPromotion, Synonym

        signals.connect()
        warmup.register(table.warm)  # the table built after each publication's commit
        bump_on_change(SearchPromotion)  # the pinned queries are cached (search.views)
        bump_on_change(Synonym)  # the synonyms and the matched ids are cached too
