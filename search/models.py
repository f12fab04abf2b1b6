"""Per-site search data: promoted results and what visitors searched for.

Wagtail's own `search_promotions` and `Query`/`QueryDailyHits` know nothing of sites;
the network's twenty sites each need their own pins and their own figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, Site

from .forms import PromotionForm
from .text import clean_query, fold


def normalise(query: str) -> str:
    """The form a query is stored and matched in: its words, lower case, no accents."""
    return fold(clean_query(query))


class SearchPromotion(models.Model):
    """A page pinned at the top of one site's results for one query."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="+"
    )
    query = models.CharField(
        _("recherche"),
        max_length=200,
        help_text=_("Les mots recherchés, sans tenir compte des majuscules ni des accents."),
    )
    page = models.ForeignKey(
        Page, verbose_name=_("page mise en avant"), on_delete=models.CASCADE, related_name="+"
    )
    description = models.TextField(
        _("texte affiché"), blank=True, help_text=_("Remplace le résumé de la page si renseigné.")
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("site"),
        FieldPanel("query"),
        FieldPanel("page"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    base_form_class = PromotionForm

    class Meta:
        verbose_name = _("résultat mis en avant")
        verbose_name_plural = _("résultats mis en avant")
        ordering = ["site", "query", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "query", "page"], name="search_promotion_unique_page"
            )
        ]

    def __str__(self):
        return f"{self.query} → {self.page.title}"

    def save(self, *args, **kwargs):
        self.query = normalise(self.query)
        super().save(*args, **kwargs)

    def clean(self):
        # Normalised before the form's uniqueness check, which then compares what will
        # be stored: "Logement" beside "logement" or "lôgement" is a form error, not an
        # IntegrityError (a 500) on save.
        super().clean()
        self.query = normalise(self.query)


class QueryDay(models.Model):
    """How many searches for one query one site answered on one day, and how many of
    them found nothing. No visitor is recorded: only the words and the counts. Searches
    are counted in Redis or memory first and stored here in batches (search.figures)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(db_index=True)
    query = models.CharField(max_length=200)
    hits = models.PositiveIntegerField(default=0)
    empty_hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("recherche du jour")
        constraints = [
            models.UniqueConstraint(fields=["site", "date", "query"], name="search_queryday_unique")
        ]


class Synonym(models.Model):
    """Words and phrases of the field that mean the same: a search for one finds the
    others ("QPV", "quartier prioritaire"). The coordination keeps the list."""

    expressions = models.TextField(
        _("expressions équivalentes"),
        help_text=_(
            "Un sigle ou une expression par ligne (ou séparés par des virgules), par exemple "
            "« QPV » puis « quartier prioritaire ». Une recherche de l’un trouve les autres."
        ),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldPanel("expressions"), FieldPanel("note")]

    class Meta:
        verbose_name = _("synonyme")
        verbose_name_plural = _("synonymes")
        ordering = ["expressions"]

    def __str__(self):
        return " = ".join(self.expression_list())

    def expression_list(self) -> list[str]:
        parts = self.expressions.replace(",", "\n").splitlines()
        return [part.strip() for part in parts if part.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if len(self.expression_list()) < 2:
            raise ValidationError(
                {"expressions": _("Saisissez au moins deux expressions équivalentes.")}
            )


class SearchTerm(models.Model):
    """A word the published pages use: the vocabulary that "Vouliez-vous dire …"
    proposes from (filled as pages are published, `search.vocabulary`)."""

    folded = models.CharField(max_length=60, unique=True)
    word = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("mot indexé")
