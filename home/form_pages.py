"""A site's forms (contact, documentation request, accessibility problem): Wagtail form
pages whose answers are mailed to the site's address by the background worker, kept a
set time (then deleted by the `purge_form_submissions` job) and protected from spam
without any third party: a field only robots fill (honeypot) and a rate limit per
client address."""

from django.conf import settings
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from modelcluster.fields import ParentalKey

# The trap: a text field hidden from people (and from assistive technologies), which
# naive robots fill. Its name looks like a real one.
HONEYPOT = "site_internet"


def allow_client(request, page_id) -> bool:
    """A few answers per client address, form and hour (FORM_LIMIT_PER_CLIENT): a flood
    costs a cache increment and nobody a mail."""
    from django.core.cache import cache

    from portal.client import client_address

    key = f"forms:{page_id}:client:{client_address(request)}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count <= getattr(settings, "FORM_LIMIT_PER_CLIENT", 5)


def default_keep_days():
    return getattr(settings, "FORM_SUBMISSIONS_KEEP_DAYS", 180)


class FormField(AbstractFormField):
    page = ParentalKey("home.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class SiteFormSubmission(AbstractFormSubmission):
    """An answer, with when it was mailed (the mailing task runs it at most once)."""

    mailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("réponse à un formulaire")
        verbose_name_plural = _("réponses aux formulaires")
        indexes = [models.Index(fields=["page", "submit_time"])]


class FormPage(AbstractEmailForm):
    class Purpose(models.TextChoices):
        CONTACT = "contact", _("contact")
        DOCUMENTATION = "documentation", _("demande de documentation")
        ACCESSIBILITY = "accessibility", _("signalement d’un problème d’accessibilité")

    purpose = models.CharField(
        _("objet"), max_length=20, choices=Purpose.choices, default=Purpose.CONTACT
    )
    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("message de remerciement"), blank=True)
    keep_days = models.PositiveIntegerField(
        _("durée de conservation des réponses (jours)"),
        default=default_keep_days,
        help_text=_("Les réponses plus anciennes sont effacées chaque nuit."),
    )

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("purpose"),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("champs du formulaire")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
                FieldPanel("keep_days"),
            ],
            heading=_("Envoi et conservation"),
        ),
    ]
    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage", "home.ContentPage"]
    subpage_types: list[str] = []
    template = "home/form_page.html"
    landing_page_template = "home/form_page_landing.html"

    class Meta:
        verbose_name = _("formulaire")
        verbose_name_plural = _("formulaires")

    def get_submission_class(self):
        return SiteFormSubmission

    def recipient(self) -> str:
        """The form's own address, else the site's contact address, else the centre's."""
        if self.to_address:
            return self.to_address
        from centres.models import Centre, SiteIdentity

        site = self.get_site()
        identity = SiteIdentity.for_site(site) if site is not None else None
        if identity is not None and identity.contact_email:
            return identity.contact_email
        centre = Centre.objects.owning_path(self.path).first()
        return centre.contact_email if centre is not None else ""

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            if not allow_client(request, self.pk):
                context = self.get_context(request)
                return TemplateResponse(request, "home/form_page_limited.html", context, status=429)
            if request.POST.get(HONEYPOT):
                # A robot: thanked as a person would be, and nothing kept or mailed.
                return TemplateResponse(
                    request, self.get_landing_page_template(request), self.get_context(request)
                )
        return super().serve(request, *args, **kwargs)

    def process_form_submission(self, form):
        from .tasks import mail_form_submission

        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        mail_form_submission.enqueue(submission.pk)
        return submission
