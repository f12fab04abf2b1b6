"""News of each site (`/actualite/`), with its RSS/Atom feeds beside it (`rss/`, `atom/`,
with the listing's filters: `theme`, `year`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase

from portal.blocks import BodyBlock
from portal.covers import clean_cover_alt, cover_from, with_covers


class NewsIndexPage(RoutablePageMixin, Page):
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage"]
    subpage_types = ["publications.NewsPage"]
    max_count_per_parent = 1
    template = "publications/news_index_page.html"

    class Meta:
        verbose_name = _("actualités")

    def news(self, filters=None):
        """The live public news of this site, newest first, narrowed by `filters`."""
        from ..news_listing import apply

        news = NewsPage.objects.child_of(self).live().public()
        if filters is not None:
            news = apply(news, filters)
        return news.order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from urllib.parse import urlencode

        from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
        from django.http import Http404

        from ..news_listing import Filters

        context = super().get_context(request, *args, **kwargs)
        filters = Filters.from_query(request.GET)
        try:
            context["news"] = Paginator(with_covers(self.news(filters)), 20).page(
                request.GET.get("page") or 1
            )
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404(str(error)) from error
        query = filters.active()
        suffix = "?" + urlencode(query) if query else ""
        base = self.get_url(request)
        context.update(
            filters=filters,
            query=query,
            feeds={"rss": base + "rss/" + suffix, "atom": base + "atom/" + suffix},
        )
        return context

    @path("rss/")
    def rss_route(self, request):
        from ..feeds import NewsFeed

        return NewsFeed(self, request)(request)

    @path("atom/")
    def atom_route(self, request):
        from ..feeds import NewsAtomFeed

        return NewsAtomFeed(self, request)(request)


class NewsTag(TaggedItemBase):
    content_object = ParentalKey(
        "publications.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(Page):
    date = models.DateField(_("date"))
    summary = models.TextField(_("chapeau"), max_length=600, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("texte"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Affichée en tête de l’actualité et sur sa carte."),
    )
    image_alt = models.CharField(
        _("texte alternatif de l’image"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ce que l’image montre, pour qui ne la voit pas. Obligatoire avec une image ; "
            "par défaut, la description de l’image dans la médiathèque."
        ),
    )
    # The same themes (taggit tags) as events and publications: a WordPress post's
    # categories and tags land here on import (interop/wxr/importer.py).
    tags = ClusterTaggableManager(through=NewsTag, blank=True, verbose_name=_("thèmes"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    parent_page_types = ["publications.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "publications/news_page.html"
    # What listings fetch with the news to show their images (portal.covers).
    cover_select = ["image"]
    cover_prefetch = ["image__renditions"]

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")

    def clean(self):
        super().clean()
        clean_cover_alt(self, "image", "image_alt")

    @property
    def cover(self):
        return cover_from(self.image, self.image_alt)
