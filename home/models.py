"""The national portal's home page and the plain content page every site uses
(`/le-reseau/`, legal notice, privacy, accessibility statement, ...)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from centres import sections as section_registry
from centres.models import Centre
from portal.blocks import BodyBlock
from portal.cache import cached_fragment, fragment_key
from portal.i18n import locale_code, localized_many
from portal.listing import sort_key

from .form_pages import FormField, FormPage, SiteFormSubmission  # noqa: F401  (models of the app)


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
        "home.AccessibilityStatementPage",
        "home.FormPage",
    ]
    max_count = 1

    template = "home/national_home_page.html"

    class Meta:
        verbose_name = _("accueil du portail national")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The French home's menu pages, each in the page's language where it is
        # translated (the English home lists every section, not only the translated
        # ones: the others link to the French page, marked lang="fr").
        # Cached per content version (every publication bumps it): two queries and a third
        # of the page's time otherwise (docs/perf.md, "The national home").
        key = fragment_key(request, "home-sections", self.pk)
        context["sections"] = cached_fragment(key, self.menu_sections, request)
        # The coordinator's selection comes from the showcase app's template tag
        # (`showcase_front_page`): the showcase builds on this app, not the reverse.
        return context

    def menu_sections(self) -> list:
        home = self
        if self.alias_of_id is None and locale_code(self.locale_id) != settings.LANGUAGE_CODE:
            home = (
                self.get_translations().filter(locale__language_code=settings.LANGUAGE_CODE).first()
                or self
            )
        return localized_many(list(home.get_children().live().public().in_menu()))


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
    subpage_types = ["home.ContentPage", "home.FormPage"]

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


class AccessibilityStatementPage(Page):
    """A site's accessibility statement, following the model the RGAA 4.1 publishes:
    compliance status, test results, non-accessible content (non-compliances,
    derogations, exempt content), how the statement was established, feedback and
    contact, and the appeal route (Défenseur des droits). The footer of every page of
    the site shows its compliance status (SiteIdentity.accessibility_status)."""

    class Compliance(models.TextChoices):
        FULL = "full", _("totalement conforme")
        PARTIAL = "partial", _("partiellement conforme")
        NONE = "none", _("non conforme")

    entity = models.CharField(
        _("entité responsable"),
        max_length=255,
        blank=True,
        help_text=_("Par défaut, le nom du site."),
    )
    compliance = models.CharField(
        _("état de conformité"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.NONE,
        help_text=_("Un site qui n’a pas été audité est « non conforme »."),
    )
    rgaa_version = models.CharField(_("version du RGAA"), max_length=10, default="4.1")
    audit_date = models.DateField(_("date de l’audit"), null=True, blank=True)
    audited_by = models.CharField(_("audit réalisé par"), max_length=255, blank=True)
    compliance_rate = models.DecimalField(
        _("taux de conformité (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    non_compliant = RichTextField(_("non-conformités"), blank=True)
    derogations = RichTextField(_("dérogations pour charge disproportionnée"), blank=True)
    exempt = RichTextField(_("contenus non soumis à l’obligation d’accessibilité"), blank=True)
    established_on = models.DateField(_("déclaration établie le"), null=True, blank=True)
    technologies = models.TextField(
        _("technologies utilisées"), default="HTML5, CSS, SVG", blank=True
    )
    test_environment = models.TextField(_("environnement de test"), blank=True)
    tools = models.TextField(_("outils utilisés pour l’évaluation"), blank=True)
    pages_checked = models.TextField(
        _("pages du site ayant fait l’objet de la vérification"), blank=True
    )
    contact_email = models.EmailField(
        _("courriel de contact"),
        blank=True,
        help_text=_("Par défaut, le courriel de contact du site."),
    )
    report_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("formulaire de signalement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Le formulaire « Signaler un problème d’accessibilité » du site."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("entity"),
        MultiFieldPanel(
            [
                FieldPanel("compliance"),
                FieldPanel("rgaa_version"),
                FieldPanel("audit_date"),
                FieldPanel("audited_by"),
                FieldPanel("compliance_rate"),
            ],
            heading=_("État de conformité et résultats des tests"),
        ),
        MultiFieldPanel(
            [FieldPanel("non_compliant"), FieldPanel("derogations"), FieldPanel("exempt")],
            heading=_("Contenus non accessibles"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("established_on"),
                FieldPanel("technologies"),
                FieldPanel("test_environment"),
                FieldPanel("tools"),
                FieldPanel("pages_checked"),
            ],
            heading=_("Établissement de cette déclaration"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), PageChooserPanel("report_page")],
            heading=_("Retour d’information et contact"),
        ),
    ]
    search_fields = Page.search_fields
    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "home/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("déclaration d’accessibilité")

    def get_context(self, request, *args, **kwargs):
        from wagtail.models import Site

        from centres.models import SiteIdentity

        context = super().get_context(request, *args, **kwargs)
        site = Site.find_for_request(request) if request is not None else None
        identity = SiteIdentity.for_request(request) if request is not None else None
        context["entity"] = self.entity or (site.site_name if site else "")
        context["site_url"] = site.root_url + "/" if site else ""
        context["contact_email"] = self.contact_email or (
            identity.contact_email if identity else ""
        )
        rate = self.compliance_rate
        if rate is not None:
            from django.utils.formats import number_format

            exact = rate == rate.to_integral_value()
            context["compliance_rate"] = number_format(
                rate.quantize(1) if exact else rate.normalize()
            )
        report = self.report_page
        context["report_page"] = report if report is not None and report.live else None
        return context
