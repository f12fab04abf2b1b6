"""What search engines read: `robots.txt` and `sitemap.xml`, per site (the host of the
request selects the Wagtail site, like every page)."""

from django.conf import settings
from django.http import HttpResponse

from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap


def robots_txt(request):
    lines = ["User-agent: *"]
    if settings.ROBOTS_DISALLOW_ALL:
        # A staging or test installation: nothing of it belongs in search results.
        lines.append("Disallow: /")
    else:
        lines += ["Disallow: /admin/", "", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def sitemap_xml(request):
    """Wagtail's site-aware sitemap: the live, public pages of this request's site."""
    return wagtail_sitemap(request)
