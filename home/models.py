"""The national portal's home page and the plain content page every site uses
(`/le-reseau/`, legal notice, privacy, accessibility statement, ...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from centres import sections as section_registry
from centres.models import Centre
from portal.blocks import BodyBlock
from portal.listing import sort_key


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
        "home.ThemeIndexPage",
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


class ThemeIndexPage(Page):
    """`/thematiques/` of a site: its theme pages, in French reading order ("Égalité"
    among the E's, whatever the database's collation)."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage"]
    subpage_types = ["home.ThemePage"]
    max_count_per_parent = 1
    template = "home/theme_index_page.html"

    class Meta:
        verbose_name = _("thématiques")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        themes = ThemePage.objects.child_of(self).live().public().select_related("theme")
        context["themes"] = sorted(themes, key=lambda page: sort_key(page.title))
        return context


class ThemePage(Page):
    """`/thematiques/<theme>/`: an editor's introduction, then the theme's latest
    resources, events and news (the site's own; the network's on the portal) and the
    related working group. The theme is one of the tags events, publications and news
    share."""

    theme = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("thème"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    introduction = RichTextField(_("introduction"), blank=True)
    related_group = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("groupe de travail associé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Laissez vide pour montrer le groupe qui publie le plus sur ce thème."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("introduction"),
        PageChooserPanel("related_group", "publications.WorkingGroupPage"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["home.ThemeIndexPage"]
    subpage_types: list[str] = []
    template = "home/theme_page.html"

    class Meta:
        verbose_name = _("page thématique")
        verbose_name_plural = _("pages thématiques")

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        parent = self.get_parent() if self.pk else None
        if parent is None or self.theme_id is None:
            return
        twins = ThemePage.objects.child_of(parent).filter(theme_id=self.theme_id)
        if twins.exclude(pk=self.pk).exists():
            raise ValidationError({"theme": _("Ce thème a déjà sa page sur ce site.")})

    def get_context(self, request, *args, **kwargs):
        from django.utils.functional import SimpleLazyObject

        from wagtail.models import Site

        context = super().get_context(request, *args, **kwargs)
        scope = section_registry.Scope(
            site=Site.find_for_request(request) if request is not None else None,
            load_centre=lambda: (
                Centre.objects.owning_path(self.path).select_related("home_page").first()
            ),
            page=self,
            request=request,
            # A theme page shows one theme: its sections are cached per page (the key
            # names no theme), so a warm page does not read the tag.
            theme=SimpleLazyObject(lambda: self.theme),
            extra={"working_group_id": self.related_group_id},
        )
        context["theme_sections"] = section_registry.render_sections(
            scope, None, place=section_registry.THEME
        )
        return context
