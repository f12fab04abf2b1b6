"""Public URLs of the search app, mounted at the root before Wagtail's page serving."""

from django.urls import path

from . import views

urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("recherche/suggestions/", views.suggestions, name="search_suggestions"),
]
