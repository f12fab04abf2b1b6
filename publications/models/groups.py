"""Working groups (groupes de travail): shared spaces on the national site. A group's
joint publications and events are pages under its page, so the group's members (the
editors of its member centres, gathered in a Django group by the seed) can publish
there and nowhere else on the national site."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from centres.models import Centre


class WorkingGroupIndexPage(Page):
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage"]
    subpage_types = ["publications.WorkingGroupPage"]
    max_count = 1
    template = "publications/working_group_index_page.html"

    class Meta:
        verbose_name = _("liste des groupes de travail")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = (WorkingGroupPage.objects.child_of(self).live().public()
                             .prefetch_related("pilots", "members").order_by("title"))
        return context


class WorkingGroupPage(Page):
    introduction = RichTextField(_("présentation"), blank=True)
    pilots = ParentalManyToManyField(Centre, verbose_name=_("centres pilotes"), blank=True,
                                     related_name="piloted_groups")
    co_pilots = ParentalManyToManyField(Centre, verbose_name=_("centres co-pilotes"), blank=True,
                                        related_name="co_piloted_groups")
    members = ParentalManyToManyField(Centre, verbose_name=_("centres membres"), blank=True,
                                      related_name="working_groups")

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        MultiFieldPanel([
            FieldPanel("pilots", widget=forms.CheckboxSelectMultiple),
            FieldPanel("co_pilots", widget=forms.CheckboxSelectMultiple),
            FieldPanel("members", widget=forms.CheckboxSelectMultiple),
        ], heading=_("Centres")),
        InlinePanel("activity", label=_("activité annuelle")),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["publications.WorkingGroupIndexPage"]
    subpage_types = ["publications.PublicationPage", "agenda.EventPage"]
    template = "publications/working_group_page.html"

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")

    def get_context(self, request, *args, **kwargs):
        from agenda.models import EventPage

        from .publication import PublicationPage

        context = super().get_context(request, *args, **kwargs)
        context["publications"] = (
            PublicationPage.objects.live().public().filter(working_group=self)
            .select_related("kind").prefetch_related("authors").order_by("-publication_date")[:20])
        context["events"] = (EventPage.objects.live().public().descendant_of(self)
                             .select_related("event_format").order_by("-starts_at")[:20])
        context["activity"] = self.activity.all()
        return context


class WorkingGroupYear(Orderable):
    page = ParentalKey(WorkingGroupPage, related_name="activity", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("année"))
    centres_involved = models.PositiveSmallIntegerField(_("centres impliqués"), null=True, blank=True)
    meetings = models.PositiveSmallIntegerField(_("réunions"), null=True, blank=True)
    modalities = models.TextField(_("modalités de travail"), blank=True)
    topics = models.TextField(_("sujets traités"), blank=True)
    partners = models.TextField(_("partenaires rencontrés"), blank=True)
    deliverables = models.TextField(_("productions"), blank=True,
                                    help_text=_("Une production par ligne."))

    panels = [FieldPanel("year"), FieldPanel("centres_involved"), FieldPanel("meetings"),
              FieldPanel("modalities"), FieldPanel("topics"), FieldPanel("partners"),
              FieldPanel("deliverables")]

    class Meta(Orderable.Meta):
        verbose_name = _("année d'activité")

    def deliverable_list(self):
        return [line.strip() for line in self.deliverables.splitlines() if line.strip()]
