"""Newsletters (docs/newsletter.md): each site's lists, their subscribers and consents,
the letters, one delivery row per subscriber and letter, and click counts per link.

Everything belongs to one site (a centre's or the national portal's): its editors see
and send only that (newsletter.access). A subscriber is an address on one site; its
subscriptions say to which lists, with the consent given (date, wording shown)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.fields import StreamField

from .blocks import LetterBody

MONTHLY_SLUG = "mensuelle"


class Profile(models.Model):
    """A managed list of readers' profiles (elected official, association, …) for the
    yearly figures by profile (Paramètres › Profils des abonnés)."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("profil d’abonné")
        verbose_name_plural = _("profils d’abonnés")

    def __str__(self):
        return self.name


OPENS_CONSENT_TEXT = (
    "J'accepte que l'ouverture des lettres soit mesurée (une image invisible dans la "
    "lettre), pour que le centre sache combien de lettres sont lues. Facultatif ; je "
    "peux retirer ce consentement par le lien présent dans chaque lettre."
)


class MailingList(models.Model):
    site = models.ForeignKey(
        "wagtailcore.Site", on_delete=models.CASCADE, related_name="mailing_lists"
    )
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    active = models.BooleanField(_("proposée à l’inscription"), default=True)
    # Opens are measured only for readers who said yes to this wording (docs/newsletter.md:
    # a pixel in a mail is a tracker that needs consent, CNIL).
    count_opens = models.BooleanField(
        _("mesurer les ouvertures (avec le consentement du lecteur)"),
        default=False,
        help_text=_(
            "Ajoute au formulaire d’inscription une case facultative ; seules les lettres "
            "des lecteurs qui l’ont cochée contiennent l’image de mesure."
        ),
    )
    opens_consent_text = models.TextField(
        _("texte de la case de consentement"),
        blank=True,
        default=OPENS_CONSENT_TEXT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "slug"], name="newsletter_list_slug")
        ]
        verbose_name = _("liste de diffusion")
        verbose_name_plural = _("listes de diffusion")

    def __str__(self):
        return f"{self.name} ({self.site.site_name or self.site.hostname})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:60] or "liste"
        super().save(*args, **kwargs)

    @classmethod
    def monthly_for(cls, site):
        mailing_list, _created = cls.objects.get_or_create(
            site=site,
            slug=MONTHLY_SLUG,
            defaults={
                "name": "Lettre mensuelle",
                "description": "Ce que le site a publié dans le mois : actualités, "
                "agenda, ressources.",
            },
        )
        return mailing_list


class Subscriber(models.Model):
    """An address on one site. `active` goes false on a hard bounce: nothing is sent to
    it any more, whatever its subscriptions."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("adresse électronique"), max_length=254)
    name = models.CharField(_("nom"), max_length=120, blank=True)
    organisation = models.CharField(_("organisme"), max_length=160, blank=True)
    profile = models.ForeignKey(
        Profile, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("profil")
    )
    active = models.BooleanField(_("adresse valide"), default=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "email"], name="newsletter_subscriber_email")
        ]
        verbose_name = _("abonné")
        verbose_name_plural = _("abonnés")

    def __str__(self):
        return self.email


class Subscription(models.Model):
    PENDING, CONFIRMED, UNSUBSCRIBED = "pending", "confirmed", "unsubscribed"
    STATUSES = [
        (PENDING, _("en attente de confirmation")),
        (CONFIRMED, _("confirmé")),
        (UNSUBSCRIBED, _("désinscrit")),
    ]
    FORM, IMPORT = "form", "import"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(max_length=12, choices=STATUSES, default=PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    # The consent: when, and the wording the person was shown (or the import's source).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    consent_text = models.TextField(blank=True)
    source = models.CharField(max_length=10, default=FORM)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The consent to opens being measured, apart from the subscription's: the wording
    # shown when asked, and since when (set at confirmation; cleared on withdrawal).
    opens_consent_text = models.TextField(blank=True)
    opens_consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="newsletter_subscription_once"
            )
        ]
        indexes = [models.Index(fields=["mailing_list", "status"])]


class Letter(models.Model):
    DRAFT, SCHEDULED, SENDING, SENT = "draft", "scheduled", "sending", "sent"
    STATUSES = [
        (DRAFT, _("brouillon")),
        (SCHEDULED, _("programmée")),
        (SENDING, _("en cours d’envoi")),
        (SENT, _("envoyée")),
    ]

    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.PROTECT, related_name="letters", verbose_name=_("liste")
    )
    subject = models.CharField(
        _("objet"),
        max_length=150,
        validators=[RegexValidator(r"[\r\n]", inverse_match=True, message=_("Une seule ligne."))],
    )
    body = StreamField(LetterBody(), verbose_name=_("contenu"), blank=True)
    status = models.CharField(_("état"), max_length=10, choices=STATUSES, default=DRAFT)
    send_at = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    # The sending task that holds the letter (newsletter.sending): one batch at a time.
    sending_task = models.CharField(max_length=64, blank=True, editable=False)
    sending_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        verbose_name = _("lettre")
        verbose_name_plural = _("lettres")

    def __str__(self):
        return self.subject

    @property
    def site(self):
        return self.mailing_list.site

    @property
    def site_id(self):
        return self.mailing_list.site_id


class Delivery(models.Model):
    """One letter to one subscriber: created for every recipient when the sending
    starts, marked sent right after the server accepted it. A restarted worker sends
    only what is still pending, so nobody receives a letter twice."""

    PENDING, SENT, FAILED, BOUNCED = "pending", "sent", "failed", "bounced"
    STATUSES = [
        (PENDING, _("à envoyer")),
        (SENT, _("envoyé")),
        (FAILED, _("échec")),
        (BOUNCED, _("rejeté")),
    ]

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=STATUSES, default=PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # Opens: `measured` when the mail carried the measuring image (the reader consented
    # then), `opened_at` the first time it was shown. The open rate is over the measured.
    measured = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "subscriber"], name="newsletter_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["letter", "status", "next_attempt"])]


class LinkClick(models.Model):
    """Clicks on one link of one letter, counted by the portal's redirect: a total, never
    who clicked."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=1000)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["letter", "url"], name="newsletter_link")]
