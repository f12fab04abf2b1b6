from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel


class ResourceKind(models.Model):
    """The managed list of resource kinds (publication, synthèse, bibliographie, ...)."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("nature de ressource")
        verbose_name_plural = _("natures de ressource")
        ordering = ["name"]

    def __str__(self):
        return self.name
