"""Every write request of the admin in one database transaction.

Wagtail's page creation is not atomic: it adds the page to the tree, then saves its
first revision, then publishes. When a later step failed (SQLite's "database is
locked", a search server or a signal receiver raising), the new page stayed behind as a
draft nobody asked for, and the editor's second try on the same form was refused with
"the slug is already in use". In one transaction a failed request leaves nothing, and
trying again works. Only the admin's POSTs (and other unsafe methods): public pages and
the statistics beacon keep their own, shorter transactions."""

from django.db import transaction

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class AtomicAdminWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS or not request.path_info.startswith("/admin/"):
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            # Django turns a view's exception into a 500 response before it reaches
            # this block: undo the request's writes then too.
            if response.status_code >= 500:
                transaction.set_rollback(True)
            return response
