"""WordPress's query-string addresses (`/?p=123`, `/?page_id=7`) land on a site's home
page, which answers 200, so Wagtail's redirect middleware (404s only) never sees them:
the imported redirects for those are applied before the home page is served."""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect

from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

WORDPRESS_QUERY_KEYS = {"p", "page_id", "attachment_id"}


@hooks.register("before_serve_page")
def wordpress_query_redirects(page, request, serve_args, serve_kwargs):
    if not WORDPRESS_QUERY_KEYS & set(request.GET):
        return None
    site = Site.find_for_request(request)
    if site is None or site.root_page_id != page.pk:
        return None
    redirect = (
        Redirect.get_for_site(site)
        .filter(old_path=Redirect.normalise_path(request.get_full_path()))
        .first()
    )
    if redirect is None or not redirect.link:
        return None
    response_class = (
        HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
    )
    return response_class(redirect.link)


@hooks.register("register_admin_viewset")
def register_feed_admin():
    from .admin_feeds import AgendaFeedViewSet

    return AgendaFeedViewSet("agenda_feeds")


# Outside feeds shown on the sites (press panorama): edited by those granted the model's
# permissions (superusers by default); fetched by `fetch_external_feeds` only.
from wagtail.snippets.models import register_snippet  # noqa: E402
from wagtail.snippets.views.snippets import SnippetViewSet  # noqa: E402

from .models import ExternalFeed  # noqa: E402


class ExternalFeedViewSet(SnippetViewSet):
    model = ExternalFeed
    icon = "link-external"
    menu_label = "Flux externes"
    add_to_settings_menu = True
    list_display = ["name", "url", "state", "last_success_at", "last_attempt_at"]


register_snippet(ExternalFeedViewSet)
