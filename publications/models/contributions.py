"""The network's yearly collective contributions to the State agency (ANCT)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from centres.models import Centre


class ContributionIndexPage(Page):
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage"]
    subpage_types = ["publications.CollectiveContributionPage"]
    max_count = 1
    template = "publications/contribution_index_page.html"

    class Meta:
        verbose_name = _("liste des contributions collectives")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["contributions"] = (
            CollectiveContributionPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("centres")
            .order_by("-year", "title")
        )
        return context


class CollectiveContributionPage(Page):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("en cours")
        PUBLISHED = "published", _("publiée")

    year = models.PositiveSmallIntegerField(_("année"))
    question = models.TextField(_("question de départ"))
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS
    )
    status_note = models.CharField(_("précision sur l’état"), max_length=255, blank=True)
    centres = ParentalManyToManyField(
        Centre,
        verbose_name=_("centres contributeurs"),
        blank=True,
        related_name="collective_contributions",
    )
    body = RichTextField(_("texte"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("year"),
        FieldPanel("question"),
        FieldPanel("status"),
        FieldPanel("status_note"),
        FieldPanel("centres", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
        InlinePanel("documents", label=_("documents")),
    ]
    search_fields = Page.search_fields + [index.SearchField("question"), index.SearchField("body")]
    parent_page_types = ["publications.ContributionIndexPage"]
    subpage_types: list[str] = []
    template = "publications/collective_contribution_page.html"

    class Meta:
        verbose_name = _("contribution collective")
        verbose_name_plural = _("contributions collectives")


class ContributionDocument(Orderable):
    page = ParentalKey(
        CollectiveContributionPage, related_name="documents", on_delete=models.CASCADE
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]
