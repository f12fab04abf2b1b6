"""An event's replay through the portal: the event page's `replay/` route counts one
play (the statistics app answers the hook `before_serve_replay`, as it answers
Wagtail's `before_serve_document` for downloads) and redirects to the stored replay
address. The route takes no parameter: it can only lead to the address an editor
typed on the page, never to one given in the request."""

from urllib.parse import urlsplit

from django.http import Http404, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers

from wagtail import hooks

HOOK = "before_serve_replay"
SCHEMES = ("http", "https")


def replay_target(page) -> str | None:
    """The stored replay address, when it is a web address."""
    url = (page.replay_url or "").strip()
    if not url or "\n" in url or "\r" in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in SCHEMES and parts.netloc else None


def replay_redirect(page, request):
    target = replay_target(page)
    if target is None:
        raise Http404("Pas de replay pour cet événement.")
    for hook in hooks.get_hooks(HOOK):
        hook(page, request)
    response = HttpResponseRedirect(target)
    # Every click must reach the server to be counted: no browser, CDN or page cache
    # keeps the redirect.
    add_never_cache_headers(response)
    return response
