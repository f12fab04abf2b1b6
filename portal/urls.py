from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from agenda.views import event_by_slug
from portal.documents import serve as serve_document
from portal.health import health
from portal.seo import favicon, robots_txt, sitemap_xml
from portal.translation_admin import submit_page_translation
from publications.views import publication_by_slug
from stats.views import privacy as stats_privacy

urlpatterns = [
    # Ahead of the admin's own: wagtail-localize's view, with page rights (docs/i18n.md).
    path(
        # UPGRADE CHECKPOINT wagtail-localize==1.14.5: the address of its submit-translation view, shadowed ahead of the admin's URLs (tests/test_i18n.py::test_submitting_a_translation_by_its_address_needs_page_rights_and_english)
        "admin/localize/submit/page/<int:page_id>/",
        submit_page_translation,
        name="guarded_submit_page_translation",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("health/", health, name="health"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Browsers ask the root for it whatever the page's <link rel="icon">.
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", sitemap_xml, name="sitemap_xml"),
    # The address network events have had since 2017 (with or without final slash).
    re_path(r"^evenement/(?P<slug>[-\w]+)/?$", event_by_slug, name="event_by_slug"),
    re_path(r"^publication/(?P<slug>[-\w]+)/?$", publication_by_slug, name="publication_by_slug"),
    # Wagtail's document URLs, its serve view wrapped (portal.documents.serve) under the
    # same name, ahead of the rest of Wagtail's.
    re_path(r"^documents/(\d+)/(.*)$", serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    # Each app mounts its own public URLs (search, statistics, showcase, OAI-PMH/API).
    path("", include("stats.urls")),
    path("", include("showcase.urls")),
    path("", include("interop.urls")),
    path("", include("newsletter.urls")),
    path("", include("registrations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Translations (docs/i18n.md): the search page, the audience-measurement notice and
# Wagtail's page serving in every language, French unprefixed (the addresses above and
# below are unchanged) and English under /en/. Wagtail's page serving last: it answers
# every path the sites' trees hold.
urlpatterns += i18n_patterns(
    path("", include("search.urls")),
    path("mesure-d-audience/", stats_privacy, name="privacy_localized"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
