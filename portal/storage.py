"""File storages that keep an upload's own name.

Django resolves a name clash by suffixing random characters ("rapport_x7Gh2Ka.pdf"),
and Wagtail serves a document under its stored name: a reader would download a file
whose name nobody chose. Here a clash goes to a random sub-folder instead
("documents/x7gh2ka/rapport.pdf"), so the file keeps the name its author gave it."""

import os

from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.utils.crypto import get_random_string


class KeepNameMixin:
    def get_alternative_name(self, file_root, file_ext):
        folder = get_random_string(7, allowed_chars="abcdefghijklmnopqrstuvwxyz0123456789")
        return f"{folder}/{file_root}{file_ext}"


class KeepNameFileSystemStorage(KeepNameMixin, FileSystemStorage):
    def _save(self, name, content):
        # Django leaves what it managed to write when the disk fills up: remove that
        # partial file (if it is ours: it did not exist before), so a full disk is not
        # made fuller by every retry.
        path = self.path(name)
        existed = os.path.exists(path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed and os.path.exists(path):
                os.remove(path)
            raise


class KeepNameInMemoryStorage(KeepNameMixin, InMemoryStorage):
    """For the test suite: same naming, nothing written to disk."""


class StorageUnavailable(OSError):
    """The file storage could not be reached or refused the operation. An OSError, so
    that Wagtail treats an unreadable image as missing (a placeholder, not a 500) and
    the admin reports a failed upload like a full disk (portal.middleware)."""
