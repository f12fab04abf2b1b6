"""What search engines read: `robots.txt` and `sitemap.xml`, per site (the host of the
request selects the Wagtail site, like every page)."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse

from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Locale, Page


def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.ROBOTS_DISALLOW_ALL:
        # A staging or test installation: nothing of it belongs in search results.
        lines.append("Disallow: /")
    else:
        lines += ["Disallow: /admin/", "", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap of the request's site, with the site's translated trees too
    (the English home page and its translated pages; English aliases of untranslated
    pages are left out, they repeat the French page), and for each page that has
    versions in several languages, hreflang alternates and x-default (the French one)."""

    def items(self):
        site = self.get_wagtail_site()
        query = Q()
        for root in site.root_page.get_translations(inclusive=True):
            inside = Q(path__startswith=root.path)
            query |= inside if root.pk == site.root_page_id else inside & Q(alias_of__isnull=True)
        return (
            Page.objects.filter(query)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        items = list(self.paginator.page(page).object_list)
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        versions = defaultdict(list)
        for item in items:
            versions[item.translation_key].append(item)
        for item in items:
            for url_info in item.get_sitemap_urls(self.request):
                same = versions[item.translation_key]
                if len(same) > 1:
                    alternates = [
                        {
                            "lang_code": languages[v.locale_id],
                            "location": v.get_full_url(self.request),
                        }
                        for v in same
                    ]
                    default = [a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE]
                    url_info["alternates"] = alternates + [
                        {"lang_code": "x-default", "location": a["location"]} for a in default
                    ]
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def sitemap_xml(request):
    """Wagtail's site-aware sitemap: the live, public pages of this request's site, in
    every language they are translated to."""
    return wagtail_sitemap(request, sitemaps={"wagtail": TranslatedSitemap})


def favicon(request):
    """`/favicon.ico`, which browsers ask the root for whatever the page's <link rel=icon>:
    the static file's address (hashed in production), resolved at request time."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
