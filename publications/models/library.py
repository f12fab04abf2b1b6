"""`/ressources/`: the library of a site (the network's on the portal, a centre's own
on its site), with filters as GET parameters and RSS/Atom feeds beside it."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from centres.ownership import centre_for_page


class LibraryPage(RoutablePageMixin, Page):
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage"]
    subpage_types = ["publications.PublicationPage"]
    max_count_per_parent = 1
    template = "publications/library_page.html"

    class Meta:
        verbose_name = _("ressources (bibliothèque)")

    @cached_property
    def centre(self):
        return centre_for_page(self)

    def route(self, request, path_components):
        from portal.child_routing import route_to_child

        from .publication import PublicationPage

        return route_to_child(self, request, path_components, PublicationPage) or super().route(
            request, path_components
        )

    @path("")
    def index_route(self, request):
        from ..views import library_listing

        return library_listing(self, request)

    @path("rss/")
    def rss_route(self, request):
        from ..feeds import LibraryFeed

        return LibraryFeed(self, request)(request)

    @path("atom/")
    def atom_route(self, request):
        from ..feeds import LibraryAtomFeed

        return LibraryAtomFeed(self, request)(request)
