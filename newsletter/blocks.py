"""The body of a letter: an introduction, items (what the site published: filled by
"Remplir avec les nouveautés", reordered and trimmed by the editor), free text, an image
with its alternative text, a button. Every block renders to HTML and to plain text
(newsletter.render)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ItemBlock(blocks.StructBlock):
    kind = blocks.CharBlock(label=_("rubrique"), required=False, max_length=40)
    title = blocks.CharBlock(label=_("titre"), max_length=255)
    date = blocks.CharBlock(label=_("date"), required=False, max_length=80)
    summary = blocks.TextBlock(label=_("résumé"), required=False, max_length=800)
    url = blocks.URLBlock(label=_("lien"))

    class Meta:
        icon = "link"
        label = _("Article")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"),
        max_length=255,
        help_text=_("Ce que l’image apporte, pour qui ne la voit pas (obligatoire)."),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")


class ButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("texte du bouton"), max_length=80)
    url = blocks.URLBlock(label=_("lien"))

    class Meta:
        icon = "pick"
        label = _("Bouton")


class LetterBody(blocks.StreamBlock):
    intro = blocks.TextBlock(label=_("Introduction"), icon="openquote")
    heading = blocks.CharBlock(label=_("Intertitre"), icon="title", max_length=120)
    item = ItemBlock()
    text = blocks.RichTextBlock(
        label=_("Texte libre"), features=["bold", "italic", "link", "ul", "ol"], icon="pilcrow"
    )
    image = ImageBlock()
    button = ButtonBlock()
