"""Working groups (groupes de travail): shared spaces on the national site. A group's
joint publications and events are pages under its page, so the members of the group's
Django group ("Groupe de travail · <name>", which the seed creates with one demo account
`gt-<slug>`, an editor of the pilot centre) can publish there and nowhere else on the
national site. Being an editor of a member centre is not enough: membership of the
space is that Django group's."""

from urllib.parse import urlencode

from django import forms
from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from centres.consent import prefetch_agreed
from centres.models import Centre
from centres.permissions import is_coordinator
from portal.cache import fragment_key
from portal.covers import with_covers
from portal.listing import in_french_order

from .library import LibraryPage

# Joint publications shown on a group's page; the library lists them all.
GROUP_PAGE_PUBLICATIONS = 20


class WorkingGroupIndexPage(Page):
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage"]
    subpage_types = ["publications.WorkingGroupPage"]
    max_count = 1
    template = "publications/working_group_index_page.html"

    class Meta:
        verbose_name = _("liste des groupes de travail")

    def route(self, request, path_components):
        from portal.child_routing import route_to_child

        return route_to_child(self, request, path_components, WorkingGroupPage) or super().route(
            request, path_components
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = in_french_order(
            WorkingGroupPage.objects.child_of(self)
            .live()
            .public()
            .prefetch_related("pilots", "members"),
            "title",
        )
        return context


# UPGRADE CHECKPOINT wagtail==8.0.1: `PagePermissionTester` subclassed: its can_edit, can_delete, can_publish, can_unpublish, can_lock, can_unlock (tests/test_permissions_groups.py::test_matrix)
class WorkingGroupPermissionTester(PagePermissionTester):
    """The group's Django group holds add/change/publish on the group's page so that its
    members publish under it. On the page itself (its pilots, members, yearly activity)
    every action stays the coordination's: a member who could unpublish, move, lock or
    re-publish it could take the whole space offline. Adding and publishing subpages,
    and reordering them, keep the base rules."""

    @cached_property
    def keeps_the_page(self):
        return self.user.is_active and is_coordinator(self.user)

    def can_edit(self):
        return self.keeps_the_page and super().can_edit()

    def can_delete(self, ignore_bulk=False):  # can_move asks the same question
        return self.keeps_the_page and super().can_delete(ignore_bulk=ignore_bulk)

    def can_publish(self):  # also view restrictions and scheduling
        return self.keeps_the_page and super().can_publish()

    def can_unpublish(self):
        return self.keeps_the_page and super().can_unpublish()

    def can_lock(self):
        return self.keeps_the_page and super().can_lock()

    def can_unlock(self):
        return self.keeps_the_page and super().can_unlock()


class WorkingGroupPage(Page):
    introduction = RichTextField(_("présentation"), blank=True)
    pilots = ParentalManyToManyField(
        Centre, verbose_name=_("centres pilotes"), blank=True, related_name="piloted_groups"
    )
    co_pilots = ParentalManyToManyField(
        Centre, verbose_name=_("centres co-pilotes"), blank=True, related_name="co_piloted_groups"
    )
    members = ParentalManyToManyField(
        Centre, verbose_name=_("centres membres"), blank=True, related_name="working_groups"
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("pilots", widget=forms.CheckboxSelectMultiple),
                FieldPanel("co_pilots", widget=forms.CheckboxSelectMultiple),
                FieldPanel("members", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Centres"),
        ),
        InlinePanel("activity", label=_("activité annuelle")),
    ]
    # What the page shows is searchable: each year's topics, partners and productions,
    # and the partner organisations linked to the group.
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.RelatedFields(
            "activity",
            [
                index.SearchField("topics"),
                index.SearchField("partners"),
                index.SearchField("deliverables"),
                index.SearchField("modalities"),
            ],
        ),
        index.RelatedFields("partners", [index.SearchField("name")]),
    ]
    parent_page_types = ["publications.WorkingGroupIndexPage"]
    subpage_types = ["publications.PublicationPage", "agenda.EventPage", "agenda.EventSeriesPage"]
    template = "publications/working_group_page.html"

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")

    def get_context(self, request, *args, **kwargs):
        from agenda.models import EventPage

        from .publication import PublicationPage

        context = super().get_context(request, *args, **kwargs)
        # The body of the page is a fragment cached per content version (the template's
        # `cached_fragment`): what it alone reads is lazy, fetched when it is rendered.
        context["fragment_key"] = fragment_key(request, "group", self.pk)

        def publications():
            # The cards show each publication's kind, group and authors: fetched with
            # the page of results, not one query per card.
            return list(
                with_covers(
                    PublicationPage.objects.live()
                    .public()
                    .filter(working_group=self)
                    .select_related("kind", "working_group")
                    .prefetch_related("authors", prefetch_agreed())
                ).order_by("-publication_date", "-pk")[: GROUP_PAGE_PUBLICATIONS + 1]
            )

        listed = SimpleLazyObject(publications)
        context["publications"] = SimpleLazyObject(lambda: listed[:GROUP_PAGE_PUBLICATIONS])
        # Looked up whatever the count, so that the page's queries do not depend on it.
        context["more_publications_url"] = SimpleLazyObject(
            lambda: self.library_url(request) if len(listed) > GROUP_PAGE_PUBLICATIONS else ""
        )
        context["events"] = SimpleLazyObject(
            lambda: list(
                EventPage.objects.live()
                .public()
                .descendant_of(self)
                .select_related("event_format")
                .order_by("-starts_at")[:20]
            )
        )
        context["activity"] = SimpleLazyObject(lambda: list(self.activity.all()))
        return context

    def permissions_for_user(self, user):
        return WorkingGroupPermissionTester(user, self)

    def library_url(self, request):
        """The group's publications in the library of the site holding the group."""
        library = LibraryPage.objects.live().sibling_of(self.get_parent()).first()
        if library is None:
            return ""
        return library.get_url(request) + "?" + urlencode({"group": self.slug})


class WorkingGroupYear(Orderable):
    page = ParentalKey(WorkingGroupPage, related_name="activity", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("année"))
    centres_involved = models.PositiveSmallIntegerField(
        _("centres impliqués"), null=True, blank=True
    )
    meetings = models.PositiveSmallIntegerField(_("réunions"), null=True, blank=True)
    modalities = models.TextField(_("modalités de travail"), blank=True)
    topics = models.TextField(_("sujets traités"), blank=True)
    partners = models.TextField(_("partenaires rencontrés"), blank=True)
    deliverables = models.TextField(
        _("productions"), blank=True, help_text=_("Une production par ligne.")
    )

    panels = [
        FieldPanel("year"),
        FieldPanel("centres_involved"),
        FieldPanel("meetings"),
        FieldPanel("modalities"),
        FieldPanel("topics"),
        FieldPanel("partners"),
        FieldPanel("deliverables"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("année d’activité")

    def deliverable_list(self):
        return [line.strip() for line in self.deliverables.splitlines() if line.strip()]
