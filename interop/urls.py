"""Public URLs of the interop app, mounted at the root before Wagtail's page serving."""

from django.urls import path

from .oai.views import endpoint

urlpatterns = [
    path("oai/", endpoint, name="oai"),
]
