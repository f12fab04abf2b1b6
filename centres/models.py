"""The centre registry, each site's identity settings and the centres' own pages.

Ownership is structural: a centre owns the page tree under its home page and the
collection of documents and images named on its record (see `centres.ownership`)."""

from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from portal.listing import in_french_order

from . import sections as section_registry
from .colours import contrast_with_white

TIME_ZONE_CHOICES = sorted((tz, tz) for tz in available_timezones() if "/" in tz)


class CentreQuerySet(models.QuerySet):
    def owning_path(self, path: str):
        """Centres whose home page is `path` or one of its ancestors (one query)."""
        step = Page.steplen
        prefixes = [path[:end] for end in range(step, len(path) + 1, step)]
        return self.filter(home_page__path__in=prefixes)

    def owning_collection_path(self, path: str):
        step = 4  # treebeard step length used by wagtailcore.Collection
        prefixes = [path[:end] for end in range(step, len(path) + 1, step)]
        return self.filter(collection__path__in=prefixes)


class Centre(index.Indexed, models.Model):
    """One centre de ressources politique de la ville: the registry the rest of the
    code asks "which centre owns this?"."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(
        _("identifiant"),
        max_length=60,
        unique=True,
        help_text=_("Sert au nom d’hôte du site du centre : <identifiant>.<domaine>."),
    )
    long_name = models.CharField(_("nom complet"), max_length=255)
    territory = models.CharField(_("territoire"), max_length=255)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    overseas = models.BooleanField(_("outre-mer"), default=False)
    time_zone = models.CharField(
        _("fuseau horaire"), max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Paris"
    )
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    website = models.URLField(_("site web actuel"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, help_text=_("Position sur la carte du réseau.")
    )
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    home_page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page d’accueil du site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owning_centre",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection de documents et d’images"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owning_centre",
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("groupe des éditeurs"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="edited_centre",
    )

    objects = CentreQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("long_name"),
                FieldPanel("logo"),
            ],
            heading=_("Identité"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("territory"),
                FieldPanel("city"),
                FieldPanel("overseas"),
                FieldPanel("time_zone"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Territoire"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("phone"), FieldPanel("website")],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("home_page", read_only=True),
                FieldPanel("collection", read_only=True),
                FieldPanel("editors_group", read_only=True),
            ],
            heading=_("Structure (créée par la commande d’initialisation)"),
        ),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("long_name"),
        index.SearchField("territory"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("centre de ressources")
        verbose_name_plural = _("centres de ressources")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def site(self):
        if self.home_page_id is None:
            return None
        return self.home_page.sites_rooted_here.first()


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Saisissez une couleur au format #RRVVBB."))


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """What each site shows of itself; each centre's editors change their own only
    (per-site permission on this setting, given by `centres.permissions`)."""

    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("bannière"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Photo en bandeau en haut de l’accueil du site (recadrée au format 4:1 "
            "autour de son point d’intérêt)."
        ),
    )
    banner_alt = models.CharField(
        _("texte alternatif de la bannière"),
        max_length=255,
        blank=True,
        help_text=_("Laisser vide si la photo est décorative (elle n’apporte pas d’information)."),
    )
    accent_colour = models.CharField(
        _("couleur d’accent"),
        max_length=7,
        default="#1d4f91",
        validators=[hex_colour],
        help_text=_(
            "Utilisée pour l’en-tête et les liens ; doit contraster avec le blanc "
            "(rapport d’au moins 4,5:1, exigence RGAA)."
        ),
    )
    tagline = models.CharField(_("accroche"), max_length=255, blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    address = models.TextField(_("adresse postale"), blank=True)
    opening_hours = models.TextField(
        _("horaires d’ouverture"),
        blank=True,
        help_text=_("Par exemple : du lundi au vendredi, de 9 h à 17 h."),
    )
    website = models.URLField(_("autre site web"), blank=True)
    linkedin = models.URLField(_("LinkedIn"), blank=True)
    mastodon = models.URLField(_("Mastodon"), blank=True)
    bluesky = models.URLField(_("Bluesky"), blank=True)
    youtube = models.URLField(_("YouTube"), blank=True)
    newsletter = models.URLField(_("lettre d’information"), blank=True)
    footer_text = RichTextField(
        _("texte du pied de page"), blank=True, features=["bold", "italic", "link"]
    )
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page des mentions légales"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page des données personnelles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page de déclaration d’accessibilité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Translations (docs/i18n.md): the national site is translated to English; a
    # centre's site shows the language switcher (and its editors get the translate
    # action) only once its team turns this on.
    english_enabled = models.BooleanField(
        _("proposer l’anglais"),
        default=False,
        help_text=_(
            "Les pages du site peuvent être traduites en anglais (action « Traduire ») et "
            "le sélecteur de langue s’affiche sur les pages traduites. Le portail "
            "national est toujours traduisible."
        ),
    )

    select_related = ["logo", "banner", "legal_notice_page", "privacy_page", "accessibility_page"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("banner"),
                FieldPanel("banner_alt"),
                FieldPanel("accent_colour"),
                FieldPanel("tagline"),
            ],
            heading=_("Identité visuelle"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("phone"),
                FieldPanel("address"),
                FieldPanel("opening_hours"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("linkedin"),
                FieldPanel("mastodon"),
                FieldPanel("bluesky"),
                FieldPanel("youtube"),
                FieldPanel("newsletter"),
            ],
            heading=_("Réseaux sociaux"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldPanel("legal_notice_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading=_("Pied de page"),
        ),
        FieldPanel("english_enabled", heading=_("Langues")),
    ]

    class Meta:
        verbose_name = _("identité du site")

    @classmethod
    def for_site(cls, site):
        """Wagtail's setting of the site, remembered under the content version (saving an
        identity bumps it: centres.apps) rather than read at every request."""
        if site is None:
            return super().for_site(site)
        from django.core.cache import cache

        from portal.cache import TIMEOUT, content_version

        key = f"portal:v{content_version()}:identity:{site.pk}"
        identity = cache.get(key)
        if identity is None:
            identity = super().for_site(site)
            cache.set(key, identity, TIMEOUT)
        return identity

    def clean(self):
        super().clean()
        if self.accent_colour and hex_colour.regex.match(self.accent_colour):
            ratio = contrast_with_white(self.accent_colour)
            if ratio < 4.5:
                raise ValidationError(
                    {
                        "accent_colour": _(
                            "Contraste insuffisant avec le blanc (%(ratio).1f:1, minimum 4,5:1) : "
                            "choisissez une couleur plus foncée."
                        )
                        % {"ratio": ratio}
                    }
                )

    @property
    def social_links(self):
        names = [
            ("linkedin", "LinkedIn"),
            ("mastodon", "Mastodon"),
            ("bluesky", "Bluesky"),
            ("youtube", "YouTube"),
            ("newsletter", _("Lettre d’information")),
        ]
        return [(label, getattr(self, field)) for field, label in names if getattr(self, field)]

    @property
    def accessibility_status(self) -> str:
        """The compliance status the site's accessibility statement declares ("partiellement
        conforme"), shown in the footer as the RGAA asks; empty without a statement page."""
        page = self.accessibility_page
        if page is None or not page.live:
            return ""
        display = getattr(page.specific, "get_compliance_display", None)
        return str(display()) if display is not None else ""

    @property
    def legal_pages(self):
        pages = [self.legal_notice_page, self.privacy_page, self.accessibility_page]
        return [page for page in pages if page is not None and page.live]


class SectionBlock(blocks.StructBlock):
    """One section of a centre's home, in the order the editor gives; a section left
    out is hidden (centres.sections)."""

    kind = blocks.ChoiceBlock(choices=section_registry.home_choices, label=_("rubrique"))
    heading = blocks.CharBlock(required=False, max_length=80, label=_("titre affiché (facultatif)"))
    count = blocks.IntegerBlock(
        required=False,
        min_value=1,
        max_value=12,
        label=_("nombre d’éléments (facultatif)"),
    )

    class Meta:
        icon = "list-ul"
        label = _("rubrique")


class CentreHomePage(Page):
    """The home page of a centre's own site: the root of everything the centre owns.
    Its sections (next events, latest resources, news, newsletter, team, contacts and
    opening hours, social links...) come from `centres.sections`, in the editor's order."""

    introduction = RichTextField(_("présentation"), blank=True)
    sections = StreamField(
        [("section", SectionBlock())],
        verbose_name=_("rubriques de l’accueil"),
        blank=True,
        help_text=_(
            "L’ordre des rubriques sur la page d’accueil ; une rubrique absente est masquée. "
            "Laissez vide pour afficher toutes les rubriques dans l’ordre par défaut."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("sections"),
        InlinePanel("team_members", label=_("équipe")),
    ]

    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ContentPage",
        "home.ThemeIndexPage",
        "home.AccessibilityStatementPage",
        "home.FormPage",
        "agenda.AgendaPage",
        "publications.LibraryPage",
        "publications.NewsIndexPage",
        "offers.OfferIndexPage",
    ]

    template = "centres/centre_home_page.html"

    class Meta:
        verbose_name = _("accueil d’un centre")

    @property
    def centre(self):
        # The registry points at its home page (Centre.home_page), not the reverse, so
        # that ownership questions are answered from one table.
        return (
            Centre.objects.filter(home_page_id=self.pk).select_related("logo", "home_page").first()
        )

    def section_choices(self):
        """(name, heading, count) in the editor's order, or None for the defaults."""
        if not self.sections:
            return None
        return [
            (block.value["kind"], block.value["heading"] or "", block.value["count"])
            for block in self.sections
        ]

    def get_context(self, request, *args, **kwargs):
        from django.utils.functional import SimpleLazyObject

        from wagtail.models import Site

        from portal.cache import fragment_key

        context = super().get_context(request, *args, **kwargs)
        context["centre"] = SimpleLazyObject(lambda: scope.centre)
        # The identity and the links are a fragment cached per content version: what
        # only they read is lazy (a warm home reads neither the centre nor the menu).
        context["identity_key"] = fragment_key(request, "centre-home", self.pk)
        context["site_sections"] = SimpleLazyObject(
            lambda: list(self.get_children().live().public().in_menu())
        )
        scope = section_registry.Scope(
            site=Site.find_for_request(request) if request is not None else None,
            page=self,
            request=request,
            load_centre=lambda: self.centre,
        )
        context["home_sections"] = section_registry.render_sections(scope, self.section_choices())
        return context


class CentreTeamMember(Orderable):
    """A member of the centre's team, shown on its home."""

    page = ParentalKey(CentreHomePage, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(_("nom"), max_length=120)
    role = models.CharField(_("fonction"), max_length=160, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("email"), FieldPanel("phone")]

    class Meta(Orderable.Meta):
        verbose_name = _("membre de l’équipe")
        verbose_name_plural = _("membres de l’équipe")

    def __str__(self):
        return self.name


class CentreIndexPage(Page):
    """`/les-crpv/` on the national portal: the 19 centres and their map."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage"]
    subpage_types: list[str] = []
    max_count = 1

    template = "centres/centre_index_page.html"

    class Meta:
        verbose_name = _("liste des centres")

    def get_context(self, request, *args, **kwargs):
        from .map import network_map

        context = super().get_context(request, *args, **kwargs)
        centres = in_french_order(Centre.objects.select_related("home_page", "logo"), "name")
        site_urls = centre_site_urls(centres, request)
        entries = [(centre, site_urls.get(centre.pk)) for centre in centres]
        context["entries"] = entries
        context["map"] = network_map(entries)
        return context


def centre_site_urls(centres, request=None):
    """Each centre's public address, from the Site rooted at its home page (one query)."""
    from wagtail.models import Site

    by_root = {
        site.root_page_id: site
        for site in Site.objects.filter(
            root_page_id__in=[c.home_page_id for c in centres if c.home_page_id]
        )
    }
    urls = {}
    for centre in centres:
        site = by_root.get(centre.home_page_id)
        if site is not None:
            urls[centre.pk] = site.root_url + "/"
    return urls


class CoOrganisation(models.Model):
    """A centre named on another centre's page (an event's co-organiser, a resource's
    co-author): the page reaches the named centre's site only once the centre accepted.
    The owning centre, and a centre whose own editor ticked it, are accepted at once.
    Kept when the centre is unticked, so that ticking it again asks nobody twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        DECLINED = "declined", _("refusée")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="co_organisations",
    )
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre invité"),
        on_delete=models.CASCADE,
        related_name="co_organisations",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    invited_at = models.DateTimeField(_("invité le"), auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the invited centre's editors were mailed (once, at the first publication).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("co-organisation")
        verbose_name_plural = _("co-organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "centre"], name="one_co_organisation_per_centre"
            )
        ]
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self):
        return f"{self.centre} · {self.page_id} · {self.status}"
