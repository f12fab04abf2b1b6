"""Proposals of a centre's items to the national front page, and the coordinator's
decisions on them.

A proposal keeps a copy of what it proposed (title, centre, section): the showcase
figures of past years must not change when a centre later deletes the page. The front
page itself only ever lists proposals whose page is still live."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The front page's sections, one per kind of item a centre may propose."""

    AGENDA = "agenda", _("Agenda")
    RESOURCES = "resources", _("Ressources")
    NEWS = "news", _("Actualités")


class Status(models.TextChoices):
    PENDING = "pending", _("en attente")
    APPROVED = "approved", _("acceptée")
    DECLINED = "declined", _("refusée")
    WITHDRAWN = "withdrawn", _("retirée")


ACTIVE = (Status.PENDING, Status.APPROVED)


class ProposalQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def on_front_page(self):
        """Approved proposals whose page is live right now."""
        return self.filter(status=Status.APPROVED, page__live=True)

    def featured(self, now=None):
        return self.on_front_page().filter(
            featured_order__isnull=False, featured_until__gt=now or timezone.now()
        )

    def showcased(self):
        """Every proposal that reached the front page at some point (for the figures)."""
        return self.filter(approved_at__isnull=False)


class Proposal(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="showcase_proposals",
    )
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="showcase_proposals",
        help_text=_("Vide pour un contenu du site national."),
    )
    section = models.CharField(_("rubrique"), max_length=12, choices=Section.choices)
    title = models.CharField(_("titre"), max_length=255)
    note = models.TextField(_("note pour la coordination"), blank=True, max_length=1000)

    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposé le"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    # Set on the first approval and kept through a later withdrawal: the yearly figures
    # count what was showcased that year.
    approved_at = models.DateTimeField(_("accepté le"), null=True, blank=True, db_index=True)
    reason = models.TextField(_("motif"), blank=True, max_length=1000)

    featured_order = models.PositiveSmallIntegerField(
        _("ordre de mise en avant"), null=True, blank=True
    )
    featured_until = models.DateTimeField(_("mis en avant jusqu’au"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposition au portail national")
        verbose_name_plural = _("propositions au portail national")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            # One live proposal per page: the queue and the front page list it once.
            models.UniqueConstraint(
                fields=["page"],
                condition=Q(status__in=ACTIVE),
                name="showcase_one_active_proposal_per_page",
            ),
        ]
        indexes = [models.Index(fields=["status", "featured_order"])]

    def __str__(self):
        return self.title

    @property
    def is_featured(self) -> bool:
        return (
            self.status == Status.APPROVED
            and self.featured_order is not None
            and self.featured_until is not None
            and self.featured_until > timezone.now()
        )

    @property
    def featured_last_day(self):
        """The last day on the front page, as the coordinator chose it: `featured_until`
        is the end of that day (midnight after it, in the portal's time zone)."""
        if self.featured_until is None:
            return None
        return timezone.localtime(self.featured_until - timedelta(microseconds=1)).date()

    @property
    def status_label(self):
        if self.is_featured:
            return _("mise en avant")
        return self.get_status_display()
