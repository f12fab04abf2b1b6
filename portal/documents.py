"""Checks on every document upload (single and multiple), with a clear message.
Wagtail already refuses extensions outside WAGTAILDOCS_EXTENSIONS; this adds a size
limit (WAGTAILDOCS_MAX_UPLOAD_SIZE, in bytes)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from wagtail.documents.forms import BaseDocumentForm


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
        size = getattr(upload, "size", None)
        if limit and size and size > limit and upload is not self.instance.file:
            raise ValidationError(
                _("Ce fichier pèse %(size)s : la limite est de %(limit)s. Compressez-le ou "
                  "découpez-le avant de le déposer.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                code="file_too_large",
            )
        return upload
