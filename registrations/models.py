"""Registrations to events and cycles (docs/registrations.md).

An `Opening` opens registrations on one page: an event, or a cycle (a series page, whose
sessions are its child events), with its capacity, closing time and the fields the form
asks. A `Registrant` is one address registered to one opening (unique: the same address
registering twice keeps one place); a `Seat` is that person's place in one session,
confirmed or on the waiting list, and, on the day, present or absent.

Capacity holds under concurrency because every change of seats of an opening runs with
the opening's row locked (`booking`): registrations of one event queue one behind the
other, those of different events do not wait for each other."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Opening(models.Model):
    ALL, EACH = "all", "each"
    MODES = [
        (ALL, _("à tout le cycle d’un coup")),
        (EACH, _("séance par séance")),
    ]

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="registration_opening",
        verbose_name=_("événement ou cycle"),
        help_text=_("Un événement, ou un cycle : l’inscription vaut alors pour ses séances."),
    )
    is_open = models.BooleanField(
        _("inscriptions ouvertes"),
        default=True,
        help_text=_("Décocher pour fermer les inscriptions avant la date limite."),
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Par séance. Laisser vide pour ne pas limiter le nombre de places."),
    )
    closes_at = models.DateTimeField(
        _("clôture des inscriptions"),
        null=True,
        blank=True,
        help_text=_(
            "Par défaut, la date limite d’inscription de l’événement, sinon son début (de "
            "chaque séance pour un cycle)."
        ),
    )
    waiting_list = models.BooleanField(
        _("liste d’attente"),
        default=True,
        help_text=_(
            "Une fois complet, les inscrits suivants attendent ; une place libérée va au "
            "premier de la liste, prévenu par courriel."
        ),
    )
    mode = models.CharField(
        _("pour un cycle, inscription"), max_length=8, choices=MODES, default=ALL
    )
    ask_name = models.BooleanField(_("demander le nom"), default=True)
    ask_organisation = models.BooleanField(_("demander la structure"), default=True)
    ask_profile = models.BooleanField(_("demander le profil"), default=True)
    ask_territory = models.BooleanField(_("demander le territoire"), default=True)
    ask_accessibility = models.BooleanField(_("demander les besoins d’accessibilité"), default=True)
    question = models.CharField(
        _("question libre"),
        max_length=255,
        blank=True,
        help_text=_("Laisser vide pour ne rien demander de plus."),
    )
    # The dates registrants were last told (the first session's start, or "" once the
    # event was cancelled): a publication that moves them mails every registrant.
    notified_dates = models.CharField(max_length=400, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ouverture des inscriptions")
        verbose_name_plural = _("ouvertures des inscriptions")

    def __str__(self):
        return self.page.title


# What erasure blanks (the daily job a year after the event, and the personal link once a
# session has started): the profile, the territory and the seats stay, as counts.
ERASED_FIELDS = ("email", "name", "organisation", "accessibility", "answer")


def erasure(now) -> dict:
    """The `update()` arguments that erase registrants' details."""
    return {**dict.fromkeys(ERASED_FIELDS, ""), "erased_at": now}


class Registrant(models.Model):
    """A person registered to an opening. The details are used for the event only and
    erased `REGISTRATIONS_KEEP_DAYS` after it (`retention`): the profile and the
    territory alone stay, for the figures."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="registrants")
    email = models.EmailField(_("adresse électronique"), max_length=254, blank=True)
    name = models.CharField(_("nom et prénom"), max_length=160, blank=True)
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    profile = models.ForeignKey(
        "newsletter.Profile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("profil"),
    )
    territory = models.CharField(_("territoire"), max_length=120, blank=True)
    accessibility = models.TextField(_("besoins d’accessibilité"), blank=True)
    answer = models.TextField(_("réponse à la question"), blank=True)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "email"],
                condition=~Q(email=""),
                name="registrations_one_place_per_address",
            )
        ]
        verbose_name = _("inscrit")
        verbose_name_plural = _("inscrits")

    def __str__(self):
        return self.name or self.email or str(self.pk)


class Seat(models.Model):
    CONFIRMED, WAITING = "confirmed", "waiting"
    STATUSES = [(CONFIRMED, _("inscrit")), (WAITING, _("liste d’attente"))]

    registrant = models.ForeignKey(Registrant, on_delete=models.CASCADE, related_name="seats")
    event = models.ForeignKey(
        "agenda.EventPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("séance")
    )
    status = models.CharField(_("statut"), max_length=10, choices=STATUSES)
    # The waiting list's order: who asked first.
    queued_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("présent"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registrant", "event"], name="registrations_one_seat")
        ]
        indexes = [models.Index(fields=["event", "status"])]
        verbose_name = _("place")
        verbose_name_plural = _("places")


class Notice(models.Model):
    """A mail the database could not rebuild when its task runs: an editor's message to
    the registrants (its text), or the cancellation of an event being deleted (whose
    registrants go with it: the address waits here). The task's only argument is this
    row's id, so no personal data sits in the task queue; the row is deleted once the
    mail is sent, with its registrant, or by the daily job if left behind."""

    registrant = models.ForeignKey(
        Registrant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Without a registrant (the event is being deleted): who, and from which site.
    email = models.EmailField(max_length=254, blank=True)
    site = models.ForeignKey(
        "wagtailcore.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=255)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
