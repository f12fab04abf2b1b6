"""Admin edits that change what public pages show, beyond pages themselves: snippets
(the centre registry, event formats, resource kinds, partners…) appear in listings and
page headers, so creating, editing or deleting one gives every cached page a new key
(portal.cache), like a publication does."""

from wagtail import hooks

from .cache import bump_content_version


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def snippet_changed(request, instance_or_instances):
    bump_content_version()


# --- Translations (docs/i18n.md) ----------------------------------------------------
# wagtail-localize offers "Traduire cette page" on every page. A centre's pages are
# translated only once the centre enables English (SiteIdentity.english_enabled): its
# buttons are wrapped so that they offer nothing for other pages. Wagtail has no hook to
# filter header buttons, hence the swap in the hook registry (its only entry points).
from wagtail_localize import wagtail_hooks as localize_hooks  # noqa: E402

from .i18n import page_offers_translation  # noqa: E402


def page_translation_buttons(page, user, view_name=None, next_url=None):
    if not page_offers_translation(page):
        return []
    return localize_hooks.page_listing_more_buttons(
        page, user, view_name=view_name, next_url=next_url
    )


# UPGRADE CHECKPOINT wagtail-localize==1.14.5: `wagtail_hooks.page_listing_more_buttons` is its one header and listing translate button hook (tests/test_i18n.py::test_the_translate_action_is_not_offered_on_a_centre_without_english)
for _name in ("register_page_header_buttons", "register_page_listing_more_buttons"):
    # UPGRADE CHECKPOINT wagtail==8.0.1: the hook registry `hooks._hooks` (name to list of (fn, order)) rewritten in place (tests/test_i18n.py::test_the_translate_action_is_not_offered_on_a_centre_without_english)
    hooks._hooks[_name] = [
        (fn, order)
        for fn, order in hooks._hooks.get(_name, [])
        if fn is not localize_hooks.page_listing_more_buttons
    ]
    hooks.register(_name, page_translation_buttons)


@hooks.register("before_serve_page")
def no_english_on_french_only_sites(page, request, serve_args, serve_kwargs):
    """A centre that has not enabled English has no /en/ addresses (they would show its
    French pages under an English interface)."""
    from django.conf import settings
    from django.http import Http404
    from django.utils.translation import get_language

    from wagtail.models import Site

    from .i18n import site_offers_english

    if get_language() != settings.LANGUAGE_CODE and not site_offers_english(
        Site.find_for_request(request), request
    ):
        raise Http404("Ce site n'est proposé qu'en français.")
