"""The managed list of event formats (conférence, webinaire, ...)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class EventFormat(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("format d’événement")
        verbose_name_plural = _("formats d’événement")
        ordering = ["name"]

    def __str__(self):
        return self.name
