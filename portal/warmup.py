"""After a change is committed, what the next visitor would otherwise pay for is rebuilt
off the request path: the apps' warm-up hooks (the search's table, `search.table`),
then the main pages of each site the change shows on (home, agenda, library:
WARMUP_PATHS), requested in-process as an anonymous visitor would, which fills the
listings' cached counts and fragments and the page cache.

PORTAL_WARMUP says how:
- "thread" (production): a background thread of the process that committed the change;
  changes committed while it runs are taken by one more pass, not one each (an import
  publishing a hundred pages warms once or twice, not a hundred times);
- "inline": in the committing thread, after the commit (the editor's request pays, never
  a visitor's; the tests use it, as their data is not visible to another connection);
- "" : nothing (the first visitor builds what is missing, as before this module).

A task queue, once the portal has one, is where this belongs (one worker, retried,
visible): `start()` is the one place to hand it to."""

import logging
import threading

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

ALL = "all"
_hooks = []
_path_hooks = []
# A warm-up request: the search does not count it as a visitor's query (search.views).
HEADER = "HTTP_X_PORTAL_WARMUP"
_lock = threading.Lock()
_state = {"pending": set(), "running": None}


def register(hook) -> None:
    """`hook()` runs at each warm-up, before the pages are requested."""
    if hook not in _hooks:
        _hooks.append(hook)


def register_paths(hook) -> None:
    """`hook(site)` returns more paths to request on `site` at each warm-up (e.g. the
    site's most searched queries), after WARMUP_PATHS."""
    if hook not in _path_hooks:
        _path_hooks.append(hook)


def mode() -> str:
    return getattr(settings, "PORTAL_WARMUP", "")


def start(site_ids=None) -> None:
    """Warm up after a committed change shown on `site_ids` (None: every site)."""
    how = mode()
    if not how:
        return
    with _lock:
        _state["pending"].add(ALL) if site_ids is None else _state["pending"].update(site_ids)
        if how == "thread":
            thread = _state["running"]
            if thread is not None and thread.is_alive():
                return  # the running thread takes it at its next pass
            thread = _state["running"] = threading.Thread(
                target=_in_thread, name="portal-warmup", daemon=True
            )
            thread.start()
            return
    run_pending()


def wait(timeout=None) -> None:
    """Until the background warm-up (if any) is done: tests and the bench."""
    thread = _state["running"]
    if thread is not None:
        thread.join(timeout)


def _in_thread():
    try:
        run_pending()
    finally:
        connection.close()  # this thread's own connection


def run_pending() -> None:
    while True:
        with _lock:
            pending = set(_state["pending"])
            _state["pending"].clear()
        if not pending:
            return
        try:
            warm(None if ALL in pending else pending)
        except Exception:  # a warm-up failing must never break anything: log it
            logger.exception("warm-up failed")


def warm(site_ids=None) -> None:
    from wagtail.models import Site

    for hook in _hooks:
        hook()
    paths = getattr(settings, "WARMUP_PATHS", [])
    if not paths and not _path_hooks:
        return
    from django.test import Client  # Django's in-process request maker

    sites = Site.objects.all()
    if site_ids is not None:
        sites = sites.filter(pk__in=site_ids)
    for site in sites:
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
        client = Client(HTTP_HOST=host, raise_request_exception=False, **{HEADER: "1"})
        more = [path for hook in _path_hooks for path in hook(site)]
        for path in [*paths, *more]:
            client.get(path, secure=site.port == 443)
