"""Languages of the public site (docs/i18n.md).

French is the source language and lives at unprefixed addresses; English translations
(wagtail-localize) live under /en/. The language of a request comes from its address
alone, never from the browser or a cookie: the admin and every French page stay French
for an English browser, and a cached page is the same for every visitor of an address."""

from django.conf import settings
from django.utils import translation


def language_of_path(path: str) -> str:
    """The language an address is in: its /xx/ prefix, or the default (French)."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def strip_language(path: str) -> tuple[str, str]:
    """(language, path without its language prefix): "/en/le-reseau/" gives
    ("en", "/le-reseau/"); a French path comes back unchanged."""
    language = translation.get_language_from_path(path)
    if not language:
        return settings.LANGUAGE_CODE, path
    rest = path[len(language) + 1 :]
    return language, rest if rest.startswith("/") else "/" + rest


class LocaleMiddleware:
    """Django's LocaleMiddleware, reduced to what the portal needs: the language of the
    address (`language_of_path`). Django's own would also read Accept-Language and the
    language cookie for unprefixed addresses that are not Wagtail pages, and adds
    `Vary: Accept-Language` to every French page, which the page cache (rightly) refuses
    to store. The previous language is restored afterwards, so a request leaves no
    active language behind in the thread (tests, management code)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of_path(request.path_info)
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _no_other_site_translated(site, request=None) -> bool:
    return False


# Whether a centre's site offers English is the centres app's to say (its identity
# settings): it registers the answer when it starts (centres.apps), as portal builds on
# nothing of the apps above it.
_centre_offers_english = _no_other_site_translated


def register_centre_offers_english(answer) -> None:
    global _centre_offers_english
    _centre_offers_english = answer


def site_offers_english(site, request=None) -> bool:
    """The national site is translated; a centre's site only when its identity settings
    say so (SiteIdentity.english_enabled, through `register_centre_offers_english`)."""
    if site is None:
        return False
    if site.is_default_site:
        return True
    return _centre_offers_english(site, request)


def language_names() -> dict[str, str]:
    return dict(settings.LANGUAGES)


def page_translations(page, request=None):
    """The live, public versions of `page` in the site's languages, in the order of
    LANGUAGES, the page itself included; aliases (an untranslated copy wagtail-localize
    puts above a translated page) are left out: they are not translations. Empty when
    there is nothing to switch to. Cached per site, page, language and content version
    (portal.cache): a warm page costs no query for it."""
    if page is None or not getattr(page, "pk", None) or not hasattr(page, "get_translations"):
        return []
    if getattr(request, "is_preview", False):
        return _translations(page, None, request)
    from wagtail.models import Site

    from .cache import cached

    site = Site.find_for_request(request) if request is not None else None
    return cached(
        f"translations:{site.pk if site else '-'}:{page.pk}",
        lambda: _translations(page, site, request),
        request,
    )


def _translations(page, site, request):
    if site is None and request is not None:
        from wagtail.models import Site

        site = Site.find_for_request(request)
    if page.alias_of_id is not None or not site_offers_english(site, request):
        return []
    names = language_names()
    versions = [
        version
        for version in page.get_translations(inclusive=True)
        .live()
        .public()
        .filter(alias_of__isnull=True)
        .select_related("locale")
        if version.locale.language_code in names
    ]
    if len(versions) < 2:
        return []
    order = list(names)
    versions.sort(key=lambda version: order.index(version.locale.language_code))
    return [
        {
            "code": version.locale.language_code,
            "name": names[version.locale.language_code],
            "url": version.get_url(request),
            "full_url": version.get_full_url(request),
            "current": version.pk == page.pk,
        }
        for version in versions
    ]


_LOCALE_CODES: dict[int, str] = {}


def locale_code(locale_id) -> str:
    """A locale's language code without a query once known (locales are never renamed:
    a new one has a new id, which refreshes the table)."""
    if locale_id not in _LOCALE_CODES:
        from wagtail.models import Locale

        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_CODES.get(locale_id, settings.LANGUAGE_CODE)


def localized(page):
    """The version of `page` in the active language when it is translated and live,
    else `page` itself (Wagtail's `localized`), never an alias: an English link to an
    untranslated page goes to the French page, not to an English copy of it. A page
    already in the active language costs no query (every French page, in French)."""
    if page is None:
        return None
    if locale_code(page.locale_id) == translation.get_language():
        return page
    version = page.localized
    return page if version.alias_of_id is not None else version


def localized_many(pages):
    """`localized` for a list of pages (a menu), in one query."""
    language = translation.get_language()
    foreign = [page for page in pages if locale_code(page.locale_id) != language]
    if not foreign:
        return list(pages)
    from wagtail.models import Page

    versions = {
        version.translation_key: version
        for version in Page.objects.filter(
            translation_key__in=[page.translation_key for page in foreign],
            locale__language_code=language,
            live=True,
            alias_of__isnull=True,
        ).only("title", "url_path", "path", "locale_id", "translation_key", "alias_of_id")
    }
    return [versions.get(page.translation_key, page) for page in pages]


def page_offers_translation(page) -> bool:
    """Whether wagtail-localize's "Traduire" action is offered for `page`: pages of the
    national site, and of a centre that enabled English."""
    site = page.get_site() if page is not None and page.depth and page.depth > 1 else None
    return site_offers_english(site)


def share_root_permissions(sender, source_obj, target_obj, **kwargs):
    """A site's home page translated (or aliased) into a new language is a new root,
    beside the French one: the groups that edit the French site get the same rights on
    it, so the national coordination edits the English national pages it translated
    (and a centre's team its own), and nobody else does."""
    from wagtail.models import GroupPagePermission

    if getattr(target_obj, "depth", None) != 2 or getattr(source_obj, "depth", None) != 2:
        return
    for grant in GroupPagePermission.objects.filter(page_id=source_obj.pk):
        GroupPagePermission.objects.get_or_create(
            group_id=grant.group_id, page_id=target_obj.pk, permission_id=grant.permission_id
        )


def connect_signals():
    from wagtail.signals import copy_for_translation_done

    copy_for_translation_done.connect(
        share_root_permissions, dispatch_uid="portal-i18n-root-permissions"
    )
