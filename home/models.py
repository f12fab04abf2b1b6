"""The national portal's home page and the plain content page every site uses
(`/le-reseau/`, legal notice, privacy, accessibility statement, ...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BodyBlock


class NationalHomePage(Page):
    """Root of the national portal's site: the coordinator's selection of the centres'
    work (see the showcase app), then the network's own events and news."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ContentPage",
        "centres.CentreIndexPage",
        "agenda.AgendaPage",
        "publications.LibraryPage",
        "publications.WorkingGroupIndexPage",
        "publications.ContributionIndexPage",
        "publications.PartnersPage",
        "publications.NewsIndexPage",
        "offers.OfferIndexPage",
    ]
    max_count = 1

    template = "home/national_home_page.html"

    class Meta:
        verbose_name = _("accueil du portail national")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().in_menu()
        # The coordinator's selection comes from the showcase app's template tag
        # (`showcase_front_page`): the showcase builds on this app, not the reverse.
        return context


class ContentPage(Page):
    """A page of text: presentation of the network, legal pages, any editorial page."""

    introduction = models.TextField(_("chapeau"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    template = "home/content_page.html"

    class Meta:
        verbose_name = _("page de contenu")
