"""Public URLs of the stats app, mounted at the root before Wagtail's page serving."""

urlpatterns = []
