"""The blocks a page's body is written in (content pages, news, publications, events).

Headings start at level 2: the page title is the h1. The set covers what a centre's old
site holds (tables, galleries, quotes, code, details, buttons, separators, embeds), so
that a WordPress import keeps each element's structure instead of flattening it."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

# What a rich-text field offered before bodies became streams: kept, so that a text
# written then loses nothing when an editor opens it.
TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "link",
    "document-link",
    "image",
    "embed",
]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("texte"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("niveau 2")), ("h3", _("niveau 3")), ("h4", _("niveau 4"))],
        default="h2",
        label=_("niveau"),
    )

    class Meta:
        icon = "title"
        label = _("intertitre")
        template = "blocks/heading.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("intitulé"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("document à télécharger")
        template = "blocks/document.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=500)

    class Meta:
        icon = "image"
        label = _("image légendée")
        template = "blocks/figure.html"


class GalleryBlock(blocks.StructBlock):
    images = blocks.ListBlock(FigureBlock(), label=_("images"), min_num=1)
    caption = blocks.CharBlock(label=_("légende de la galerie"), required=False)

    class Meta:
        icon = "image"
        label = _("galerie")
        template = "blocks/gallery.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("citation"))
    attribution = blocks.CharBlock(label=_("source"), required=False)
    highlighted = blocks.BooleanBlock(
        label=_("mise en exergue"), required=False, help_text=_("Citation mise en avant")
    )

    class Meta:
        icon = "openquote"
        label = _("citation")
        template = "blocks/quote.html"


class CodeBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("code", _("code")), ("pre", _("texte préformaté"))],
        default="code",
        label=_("nature"),
    )
    text = blocks.TextBlock(label=_("texte"))

    class Meta:
        icon = "code"
        label = _("code ou texte préformaté")
        template = "blocks/code.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(label=_("intitulé (toujours visible)"))
    content = blocks.RichTextBlock(features=TEXT_FEATURES, label=_("contenu déplié"))

    class Meta:
        icon = "collapse-down"
        label = _("détails repliables")
        template = "blocks/details.html"


class ButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("texte du bouton"))
    page = blocks.PageChooserBlock(label=_("page du portail"), required=False)
    url = blocks.URLBlock(label=_("ou adresse"), required=False)

    class Meta:
        icon = "link"
        label = _("bouton")
        template = "blocks/button.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choisissez une page ou une adresse."))}
            )
        return value


class LinkedEmbedBlock(EmbedBlock):
    """A video or other outside content, shown as a link to it: nothing of the outside
    site loads (no cookie, no request) until the visitor follows it, and the page never
    waits on the provider."""

    class Meta:
        icon = "media"
        label = _("vidéo ou contenu externe")
        template = "blocks/embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["host"] = urlsplit(value.url).netloc.removeprefix("www.") if value else ""
        return context


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=TEXT_FEATURES, label=_("paragraphe"))
    image = ImageBlock(label=_("image"))
    figure = FigureBlock()
    gallery = GalleryBlock()
    document = DocumentLinkBlock()
    quote = QuoteBlock()
    table = TableBlock(label=_("tableau"), template="blocks/table.html")
    code = CodeBlock()
    details = DetailsBlock()
    button = ButtonBlock()
    embed = LinkedEmbedBlock()
    separator = blocks.StaticBlock(
        label=_("séparateur"), admin_text=_("Trait de séparation"), template="blocks/separator.html"
    )


def text_stream(html: str) -> list[dict]:
    """A body made of one paragraph block holding `html` (rich-text HTML), or empty."""
    return [{"type": "paragraph", "value": html}] if html.strip() else []
