"""Public URLs of the showcase app, mounted at the root before Wagtail's page serving."""

urlpatterns = []
