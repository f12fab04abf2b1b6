"""Public URLs of the interop app, mounted at the root before Wagtail's page serving."""

from django.urls import path

from .api import api_router
from .oai.views import endpoint

urlpatterns = [
    path("oai/", endpoint, name="oai"),
    path("api/v2/", api_router.urls),
]
