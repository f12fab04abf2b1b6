"""Public URLs of the search app, mounted at the root before Wagtail's page serving."""

urlpatterns = []
