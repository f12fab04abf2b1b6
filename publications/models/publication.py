"""A publication: any resource a centre, several centres or a working group publish."""

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Prefetch
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.signals import post_page_move

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase

from centres.consent import agreed
from centres.models import Centre
from portal.blocks import BodyBlock
from portal.cache import fragment_key
from portal.covers import Cover, clean_cover_alt, cover_from


class PublicationTag(TaggedItemBase):
    content_object = ParentalKey(
        "publications.PublicationPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PublicationPage(Page):
    kind = models.ForeignKey(
        "publications.ResourceKind",
        verbose_name=_("nature"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publication_date = models.DateField(_("date de publication"), db_index=True)
    summary = models.TextField(_("résumé"), max_length=800, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("texte"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("couverture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Sans couverture, la première page du premier document PDF en tient lieu "
            "(vignette faite après la publication)."
        ),
    )
    cover_alt = models.CharField(
        _("texte alternatif de la couverture"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ce que l’image montre, pour qui ne la voit pas. Obligatoire avec une image ; "
            "par défaut, la description de l’image dans la médiathèque."
        ),
    )
    authors = ParentalManyToManyField(
        Centre, verbose_name=_("centres auteurs"), blank=True, related_name="authored_publications"
    )
    working_group = models.ForeignKey(
        "publications.WorkingGroupPage",
        verbose_name=_("groupe de travail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
        help_text=_("Renseigné d’office pour une publication rangée dans l’espace d’un groupe."),
    )
    external_authors = models.CharField(_("autres auteurs"), max_length=255, blank=True)
    tags = ClusterTaggableManager(through=PublicationTag, blank=True, verbose_name=_("thèmes"))
    territory = models.CharField(_("territoire"), max_length=255, blank=True)
    related_events = ParentalManyToManyField(
        "agenda.EventPage",
        verbose_name=_("événements liés"),
        blank=True,
        related_name="related_publications",
    )
    cosoter_url = models.URLField(
        _("notice dans Cosoter"),
        blank=True,
        help_text=_("Lien vers la notice de la base documentaire du réseau, s’il y en a une."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("publication_date"),
                FieldPanel("cover_image"),
                FieldPanel("cover_alt"),
            ],
            heading=_("Publication"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("documents", label=_("documents à télécharger")),
        MultiFieldPanel(
            [
                FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
                # Read-only: a publication belongs to the group whose space holds it. A
                # choice here would let any editor file work in another group's page.
                FieldPanel("working_group", read_only=True),
                FieldPanel("external_authors"),
            ],
            heading=_("Auteurs"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("territory"),
                FieldPanel("related_events"),
                FieldPanel("cosoter_url"),
            ],
            heading=_("Classement"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("external_authors"),
        index.FilterField("publication_date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        # The text of the attached documents (extracted after their upload).
        index.SearchField("documents_text"),
    ]
    parent_page_types = ["publications.LibraryPage", "publications.WorkingGroupPage"]
    subpage_types: list[str] = []
    template = "publications/publication_page.html"
    # What listings fetch with the publications to show their covers (portal.covers):
    # the cover, or the first document's thumbnail, and their renditions.
    cover_select = ["cover_image"]

    @classmethod
    def cover_prefetch(cls):
        return [
            "cover_image__renditions",
            Prefetch(
                "documents",
                queryset=PublicationDocument.objects.select_related(
                    "document__first_page_thumbnail__image"
                ),
            ),
            "documents__document__first_page_thumbnail__image__renditions",
        ]

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def clean(self):
        super().clean()
        clean_cover_alt(self, "cover_image", "cover_alt")

    @property
    def cover(self) -> Cover | None:
        """The editor's cover, or the first page of the first document once its
        thumbnail is made (publications.thumbnails); portrait, as a document is."""
        if self.cover_image_id:
            return cover_from(self.cover_image, self.cover_alt, portrait=True)
        image = self.thumbnail_image
        if image is None:
            return None
        return Cover(image, gettext("Première page du document « %s »") % self.title, portrait=True)

    @property
    def thumbnail_image(self):
        # `documents.all()`: the listings' prefetched rows, with their thumbnails.
        first = next(iter(self.documents.all()), None)
        if first is None:
            return None
        try:
            return first.document.first_page_thumbnail.image
        except ObjectDoesNotExist:
            return None

    def save(self, *args, **kwargs):
        # Derived from the tree on every save (and on a move: regroup_moved_publication), so a
        # publication taken out of a group's space stops being listed as the group's.
        if self.path:
            self.working_group = group_above(self.path)
        return super().save(*args, **kwargs)

    def documents_text(self) -> str:
        from portal.document_text import text_of_documents

        return text_of_documents([item.document_id for item in self.documents.all()])

    @cached_property
    def document_items(self):
        return list(self.documents.select_related("document"))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The body and the JSON-LD are fragments cached per content version (the
        # template's `cached_fragment`); the JSON-LD is computed only to render them.
        context["fragment_key"] = fragment_key(request, "publication", self.pk)
        context["json_ld"] = SimpleLazyObject(lambda: self.json_ld(request))
        return context

    @cached_property
    def named_authors(self) -> list:
        """The centres among the authors that agreed to be named (centres.consent)."""
        return agreed(self, "authors")

    def json_ld(self, request) -> str:
        from ..structured_data import publication_json_ld

        return publication_json_ld(self, request)


def group_above(path):
    """The working group whose page is an ancestor of the page at `path`, if any."""
    from .groups import WorkingGroupPage

    step = PublicationPage.steplen
    ancestors = [path[:end] for end in range(step, len(path), step)]
    return WorkingGroupPage.objects.filter(path__in=ancestors).first()


@receiver(post_page_move, sender=PublicationPage)
def regroup_moved_publication(sender, instance, **kwargs):
    # A move rewrites paths without saving the specific page: a publication moved into
    # or out of a group's space would keep its former group.
    PublicationPage.objects.filter(pk=instance.pk).update(working_group=group_above(instance.path))


class PublicationDocument(Orderable):
    page = ParentalKey(PublicationPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(_("intitulé"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("label")]
