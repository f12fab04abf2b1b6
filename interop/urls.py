"""Public URLs of the interop app, mounted at the root before Wagtail's page serving."""

urlpatterns = []
