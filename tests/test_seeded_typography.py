"""French typography in the seeded network's stored text (issue #21): titles, search
descriptions, introductions and summaries, rich text and streams of every page, and the
event formats, follow the interface's rules (tests/french_typography.py: ’ not ', a
no-break space before : ; ? !). The demo is what visitors and editors copy."""

from html import unescape

from django.db import models
from django.utils.html import strip_tags

from wagtail.fields import RichTextField, StreamField
from wagtail.models import get_page_models

import pytest

from agenda.formats import EventFormat

from .french_typography import Found, problems

pytestmark = pytest.mark.django_db

# Plain-text fields of a page that visitors read.
TEXT_FIELDS = {"title", "seo_title", "search_description", "intro", "introduction", "summary"}


def _plain(value) -> str:
    return unescape(strip_tags(str(value)))


def stored_texts():
    """(where, text) of every page's visible stored text, then every event format."""
    for model in get_page_models():
        # Each model's own fields: Page's (title, search description) are read once.
        fields = [field for field in model._meta.concrete_fields if field.model is model]
        rich = [f.name for f in fields if isinstance(f, RichTextField)]
        streams = [f for f in fields if isinstance(f, StreamField)]
        plain = [
            f.name
            for f in fields
            if f.name in TEXT_FIELDS and isinstance(f, models.CharField | models.TextField)
        ]
        if not (rich or streams or plain):
            continue
        for page in model.objects.filter(locale__language_code="fr"):
            where = f"{model.__name__} {page.url_path}"
            for name in (*plain, *rich):
                yield f"{where} {name}", _plain(getattr(page, name) or "")
            for field in streams:
                for text in field.get_searchable_content(getattr(page, field.name)):
                    yield f"{where} {field.name}", _plain(text)
    for event_format in EventFormat.objects.all():
        yield "event format", event_format.name


def test_the_seeded_network_follows_french_typography(network):
    report = [
        f"{where}: {problem}"
        for where, text in stored_texts()
        for problem in problems(Found(where, 0, text))
    ]
    assert not report, f"{len(report)} problems:\n" + "\n".join(sorted(set(report)))
