"""Layout and listing helpers shared by every site's templates."""

from urllib.parse import urlencode

from django import template
from django.conf import settings

from wagtail.models import Site

from portal import cache, i18n

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist, self.key = nodelist, key

    def render(self, context):
        key = self.key.resolve(context) or None
        return cache.cached_fragment(
            key, lambda: self.nodelist.render(context), context.get("request")
        )


@register.tag("cached_fragment")
def do_cached_fragment(parser, token):
    """`{% cached_fragment key %}...{% endcached_fragment %}`: the enclosed HTML cached
    under `key` (from `portal.cache.fragment_key`, which includes the site) and the
    content version; rendered every time when the key is empty (previews). Context
    values used only inside should be lazy, so that a cached fragment costs no query."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_fragment takes one argument: the key")
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]))


@register.inclusion_tag("portal/navigation.html", takes_context=True)
def site_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = context.get("page")
    if site is None:
        return {"root": None, "items": []}
    root = site.root_page
    # The French tree's menu, each entry in the active language where it is translated
    # and the French page otherwise (portal.i18n.localized): an English visitor never
    # meets a 404 for a page nobody translated. Cached with the header, per language.
    french = list(
        root.get_children()
        .live()
        .public()
        .in_menu()
        .only("title", "url_path", "path", "locale_id", "translation_key")
    )
    items = i18n.localized_many(french)
    for item, version in zip(french, items):
        version.is_current = bool(
            current
            and (current.path.startswith(item.path) or current.path.startswith(version.path))
        )
    return {"root": root, "items": items, "site": site, "request": request, "current": current}


@register.simple_tag(takes_context=True)
def page_translations(context, page):
    """`{% page_translations page as translations %}`: see portal.i18n.page_translations."""
    return i18n.page_translations(page, context.get("request"))


@register.filter
def localized(page):
    """A page in the active language where translated, else the page itself."""
    return i18n.localized(page)


@register.simple_tag(takes_context=True)
def localized_home_url(context):
    """The site's home page in the active language ("/" or "/en/"), else "/"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return "/"
    return i18n.localized(site.root_page).get_url(request) or "/"


@register.simple_tag
def filter_url(query, **changes):
    """The listing's query string with some filters changed (empty value removes)."""
    params = {**query, **changes}
    clean = {k: v for k, v in params.items() if v not in ("", None)}
    return "?" + urlencode(clean) if clean else "?"


@register.simple_tag
def content_language(page):
    """The language a page's content is written in: its locale's, or for an alias (the
    untranslated copy wagtail-localize puts above a translated page) its original's."""
    if page is None or not getattr(page, "locale_id", None):
        return ""
    if page.alias_of_id:
        from wagtail.models import Page

        original = (
            Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", flat=True).first()
        )
        if original:
            return i18n.locale_code(original)
    return i18n.locale_code(page.locale_id)


@register.filter
def lang_if_foreign(page):
    """` lang="fr"` on a link or block showing a page in another language than the
    active one (an untranslated French page in the English navigation: WCAG 3.1.2)."""
    from django.utils.html import format_html
    from django.utils.translation import get_language

    code = content_language(page)
    if code and code != get_language():
        return format_html(' lang="{}"', code)
    return ""


@register.simple_tag
def french_lang():
    """` lang="fr"` on text that exists in French only (a site's tagline, its footer
    text), when the page is shown in another language."""
    from django.utils.html import format_html
    from django.utils.translation import get_language

    if get_language() != settings.LANGUAGE_CODE:
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return ""


@register.filter
def french_date(value, fmt="j F Y"):
    """A date as the French write it: "1er décembre 2026" (portal.formats.french)."""
    from portal.formats.french import format_date

    return format_date(value, fmt)
