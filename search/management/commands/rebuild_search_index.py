"""`manage.py rebuild_search_index`: Wagtail's `update_index` (every backend, or
`--backend NAME`; same options) with a progress bar per model, for a rebuild of the
30,000-page network that takes minutes. Publishing keeps the index fresh by itself:
this is for a new search server, a changed analysis, or bulk-loaded content."""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as UpdateIndex

WIDTH = 30


# UPGRADE CHECKPOINT modelsearch==1.3.2: `rebuild_modelsearch_index`'s `write`, `queryset_chunks` and `print_iter_progress` (tests/test_search_page.py::test_rebuild_command_reindexes_with_a_progress_bar)
class Command(UpdateIndex):
    help = "Reconstruit l'index de recherche (tous les moteurs), avec une barre de progression."

    _label = ""

    def handle(self, *args, **options):
        super().handle(*args, **options)
        # Search results (matched ids) and facet counts are cached under the content
        # version: a rebuilt index must not be hidden behind them.
        from portal.cache import bump_content_version

        bump_content_version()

    def write(self, text="", ending=None, **kwargs):
        if ending == "" and text.strip(" .") and not text.startswith("\r"):
            self._label = text  # the model being indexed, before its bar
        super().write(text, ending=ending, **kwargs)

    def queryset_chunks(self, qs, chunk_size=1000):
        self._total, self._done = qs.count(), 0
        for chunk in super().queryset_chunks(qs, chunk_size):
            self._done += len(chunk)
            yield chunk

    def print_iter_progress(self, iterable):
        for value in iterable:
            yield value
            total = max(self._total, 1)
            filled = WIDTH * self._done // total
            self.write(
                f"\r{self._label}[{'#' * filled}{'.' * (WIDTH - filled)}] "
                f"{self._done}/{self._total}",
                ending="",
            )
            self.stdout.flush()
