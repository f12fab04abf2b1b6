"""Peer A of the bench (bench/README.md, "Peers"): a Django project of one view that
returns a constant 10 KB page, no database, no template, no middleware. Served by the
same gunicorn as the portal, it is the ceiling of Python and Django on this machine:
nothing the portal does per request can be cheaper.

    gunicorn bench.peer_a:application
"""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-peer-a-not-secret",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

# About the size of a portal page's HTML (10 KB), built once.
PAGE = (
    "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Peer A</title></head>"
    "<body><main>"
    + "<p>Une page constante pour mesurer le plafond de Django.</p>" * 175
    + "</main></body></html>"
).encode()


def constant(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", constant)]
application = get_wsgi_application()
