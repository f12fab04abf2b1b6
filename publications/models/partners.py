"""Partner organisations of the network, its centres and working groups."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from centres.models import Centre


class Partner(ClusterableModel):
    class Kind(models.TextChoices):
        STATE = "state", _("État et agences")
        LOCAL = "local", _("collectivités")
        NETWORK = "network", _("réseaux et associations")
        RESEARCH = "research", _("recherche et formation")
        OTHER = "other", _("autres")

    name = models.CharField(_("nom"), max_length=255, unique=True)
    kind = models.CharField(_("catégorie"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(_("site web"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    centres = ParentalManyToManyField(
        Centre, verbose_name=_("centres partenaires"), blank=True, related_name="partners"
    )
    working_groups = ParentalManyToManyField(
        "publications.WorkingGroupPage",
        verbose_name=_("groupes de travail"),
        blank=True,
        related_name="partners",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldPanel("logo"),
        FieldPanel("centres", widget=forms.CheckboxSelectMultiple),
        FieldPanel("working_groups", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnersPage(Page):
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "publications/partners_page.html"

    class Meta:
        verbose_name = _("page des partenaires")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        partners = Partner.objects.select_related("logo").prefetch_related(
            "centres", "working_groups"
        )
        labels = dict(Partner.Kind.choices)
        groups = {}
        for partner in partners:
            groups.setdefault(partner.kind, []).append(partner)
        context["partner_groups"] = [
            (labels[kind], groups[kind]) for kind in labels if kind in groups
        ]
        return context
