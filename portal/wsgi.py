"""WSGI entry point. Production settings unless DJANGO_SETTINGS_MODULE says otherwise.

The statistics beacon (`POST /stats/event`, one request per page view) is answered
ahead of Django's middleware stack (stats/wsgi.py), and so is an anonymous visitor's page
already in the page cache (portal/page_hits.py); every other request goes to Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

from portal.page_hits import with_cached_pages  # noqa: E402  (needs the apps loaded above)
from stats.wsgi import with_beacon_path  # noqa: E402

application = with_beacon_path(with_cached_pages(application))
