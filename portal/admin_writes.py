"""Every write request of the admin in one database transaction, and one at a time per page.

Wagtail's page creation is not atomic: it adds the page to the tree, then saves its
first revision, then publishes. When a later step failed (SQLite's "database is
locked", a search server or a signal receiver raising), the new page stayed behind as a
draft nobody asked for, and the editor's second try on the same form was refused with
"the slug is already in use". In one transaction a failed request leaves nothing, and
trying again works. Only the admin's POSTs (and other unsafe methods): public pages and
the statistics beacon keep their own, shorter transactions.

Writes to one page are also serialised. Wagtail's autosave of a draft reads the page,
then saves it whole (`form.save(commit=not page.live)`): on PostgreSQL, an autosave
that read the page while the editor's publication was under way wrote `live=False`
back once the publication committed, and the published event vanished from the site.
Locking the page's row first makes such a save wait for the publication, then read the
page as published (Wagtail then refuses it as out of date, as it should). SQLite needs
no lock: its transactions take the write lock when they begin."""

import re

from django.db import transaction

from wagtail.models import Page

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Every admin view that writes to one existing page has its id first under /admin/pages/
# (edit, publish, unpublish, move, delete, revisions, workflow actions...).
PAGE_WRITE = re.compile(r"^/admin/pages/(\d+)/")


class AtomicAdminWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS or not request.path_info.startswith("/admin/"):
            return self.get_response(request)
        with transaction.atomic():
            if match := PAGE_WRITE.match(request.path_info):
                # Waits for any other write to this page to commit; evaluated here,
                # before the view reads the page.
                list(Page.objects.select_for_update().filter(pk=match[1]).values_list("pk"))
            response = self.get_response(request)
            # Django turns a view's exception into a 500 response before it reaches
            # this block: undo the request's writes then too.
            if response.status_code >= 500:
                transaction.set_rollback(True)
            return response
