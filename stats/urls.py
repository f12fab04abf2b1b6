"""Public URLs of the stats app, mounted at the root before Wagtail's page serving."""

from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("stats/event", views.event, name="event"),
    path("mesure-d-audience/", views.privacy, name="privacy"),
]
