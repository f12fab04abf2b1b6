"""Public URLs of registrations, on every site (mounted at the root by portal.urls)."""

from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("inscription/<int:opening_id>/", views.register_view, name="register"),
    path("inscription/annuler/<str:token>/", views.cancel_view, name="cancel"),
]
