"""Job offers and calls (offres d'emploi, appels à projets, financements): an `/offres/`
listing on every site (`OfferIndexPage`: the network's on the portal, a centre's own on
its site) and the offers under it (`OfferPage`). An offer leaves the listing and its feeds
after its closing date and stays reachable at its address, marked "clôturée"."""

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from centres.ownership import centre_for_page
from portal.blocks import BodyBlock
from portal.covers import clean_cover_alt, cover_from


class OfferKind(models.TextChoices):
    JOB = "emploi", _("Offre d’emploi")
    CALL = "appel-a-projets", _("Appel à projets")
    FUNDING = "financement", _("Financement")


def today():
    """The day in the portal's time zone (Europe/Paris): an offer is open through its
    closing date."""
    return timezone.localdate()


class OfferIndexPage(RoutablePageMixin, Page):
    """`/offres/` of a site, with its filters as GET parameters and RSS/Atom beside it."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage"]
    subpage_types = ["offers.OfferPage"]
    max_count_per_parent = 1
    template = "offers/offer_index_page.html"

    class Meta:
        verbose_name = _("offres et appels (liste)")

    @cached_property
    def centre(self):
        return centre_for_page(self)

    def route(self, request, path_components):
        from portal.child_routing import route_to_child

        return route_to_child(self, request, path_components, OfferPage) or super().route(
            request, path_components
        )

    @path("")
    def index_route(self, request):
        from .views import offer_listing

        return offer_listing(self, request)

    @path("rss/")
    def rss_route(self, request):
        from .feeds import OfferFeed

        return OfferFeed(self, request)(request)

    @path("atom/")
    def atom_route(self, request):
        from .feeds import OfferAtomFeed

        return OfferAtomFeed(self, request)(request)


class OfferPage(Page):
    """One job offer, call for projects or funding, as the recruiter or funder gives it."""

    kind = models.CharField(_("nature"), max_length=20, choices=OfferKind.choices)
    organisation = models.CharField(
        _("organisation"), max_length=255, help_text=_("L’employeur ou le financeur.")
    )
    place = models.CharField(
        _("lieu"), max_length=255, blank=True, help_text=_("Ville ou lieu de travail.")
    )
    territory = models.CharField(
        _("territoire"),
        max_length=120,
        blank=True,
        help_text=_("Région ou département concerné ; par défaut, celui du centre."),
    )
    contract = models.CharField(
        _("contrat ou montant"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple « CDI, temps plein » ou « jusqu’à 20 000 € »."),
    )
    closing_date = models.DateField(
        _("date de clôture"),
        db_index=True,
        help_text=_("Dernier jour pour candidater : l’offre quitte la liste le lendemain."),
    )
    summary = models.TextField(_("chapeau"), max_length=600, blank=True)
    link = models.URLField(_("lien vers l’offre ou la candidature"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document (fiche de poste, cahier des charges)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Affichée en tête de la page et sur les cartes des offres."),
    )
    cover_alt = models.CharField(
        _("texte alternatif de l’image"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ce que l’image montre, pour qui ne la voit pas. Obligatoire avec une image ; "
            "par défaut, la description de l’image dans la médiathèque."
        ),
    )
    body = StreamField(BodyBlock(), verbose_name=_("texte"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("closing_date")]),
                FieldPanel("organisation"),
                FieldRowPanel([FieldPanel("place"), FieldPanel("territory")]),
                FieldPanel("contract"),
            ],
            heading=_("L’offre"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("link"), FieldPanel("document")], heading=_("Pour candidater")),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading=_("Image")),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("organisation"),
        index.SearchField("place"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("closing_date"),
    ]
    parent_page_types = ["offers.OfferIndexPage"]
    subpage_types: list[str] = []
    template = "offers/offer_page.html"
    # What listings fetch with the offers to show their covers (portal.covers).
    cover_select = ["cover_image"]
    cover_prefetch = ["cover_image__renditions"]

    class Meta:
        verbose_name = _("offre ou appel")
        verbose_name_plural = _("offres et appels")
        indexes = [models.Index(fields=["territory"], name="offers_territory_idx")]

    @cached_property
    def centre(self):
        return centre_for_page(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The listing's address from the offer's own (its parent's), without a query.
        url = self.get_url(request) or ""
        context["listing_url"] = url[: url.rstrip("/").rfind("/") + 1]
        return context

    def clean(self):
        super().clean()
        clean_cover_alt(self, "cover_image", "cover_alt")

    @property
    def cover(self):
        return cover_from(self.cover_image, self.cover_alt)

    @property
    def is_closed(self) -> bool:
        return self.closing_date is not None and self.closing_date < today()

    def save(self, *args, **kwargs):
        # The territory an offer is filtered by: the owning centre's unless the editor
        # names another (a path exists once the page is in the tree).
        if not self.territory and self.path:
            centre = centre_for_page(self)
            if centre is not None:
                self.territory = centre.territory
        return super().save(*args, **kwargs)
