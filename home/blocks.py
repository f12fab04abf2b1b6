"""Blocks of a content page's body. Headings start at level 2: the page title is the h1."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


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
        template = "home/blocks/heading_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("intitulé"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("document à télécharger")
        template = "home/blocks/document_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link", "ol", "ul"], label=_("paragraphe")
    )
    image = ImageBlock(label=_("image"))
    document = DocumentLinkBlock()
    quote = blocks.BlockQuoteBlock(label=_("citation"))
