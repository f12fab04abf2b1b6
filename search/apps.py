from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import warmup
        from portal.cache import bump_on_change

        from . import figures, server_sync, signals, table
        from .models import SearchPromotion, Synonym

        signals.connect()
        server_sync.connect()  # the synonyms written on the search server after a change
        warmup.register(table.warm)  # the table built after each publication's commit
        warmup.register_paths(figures.most_searched_paths)  # their results too
        bump_on_change(SearchPromotion)  # the pinned queries are cached (search.views)
        bump_on_change(Synonym)  # the synonyms and the matched ids are cached too
