"""WordPress post content → Wagtail rich text: shortcodes unwrapped or dropped (and
reported), wpautop's paragraphs restored, links to the old site pointed at the imported
pages and files, images of the export embedded, everything else whitelisted by Wagtail's
own converter (so only what the editor could have typed remains)."""

import html
import re
from urllib.parse import urljoin, urlsplit

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

# Shortcodes whose inner text is content: keep it, drop the brackets.
UNWRAP = {"caption", "wp_caption", "embed", "vc_column_text", "et_pb_text", "fusion_text"}
SHORTCODE = re.compile(r"\[(/?)([A-Za-z][\w-]*)((?:\s[^\]]*)?)\]")
BLOCKS = re.compile(r"<(p|div|h[1-6]|ul|ol|table|blockquote|figure)[\s>]", re.IGNORECASE)
HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>', re.IGNORECASE)
IMG = re.compile(r'<img\s[^>]*?src="([^"]*)"[^>]*?/?>', re.IGNORECASE)
ALT = re.compile(r'alt="([^"]*)"', re.IGNORECASE)


def strip_shortcodes(text: str, warn) -> str:
    closing = {match.group(2).lower() for match in SHORTCODE.finditer(text) if match.group(1)}

    def replace(match):
        slash, name, attributes = match.groups()
        name = name.lower()
        # "[sic]" or "[...]" in prose is text, not a shortcode: it has neither
        # attributes nor a closing tag.
        if not slash and not attributes and name not in closing and name not in UNWRAP:
            return match.group(0)
        if name not in UNWRAP and not slash:
            warn(f"shortcode [{name}] retiré (son contenu éventuel est gardé)")
        return ""

    return SHORTCODE.sub(replace, text)


def autop(text: str) -> str:
    """WordPress stores paragraphs as blank lines (wpautop adds <p> on display)."""
    if BLOCKS.search(text):
        return text
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{part.replace(chr(10), '<br/>')}</p>" for part in paragraphs)


def same_site(url: str, source: str) -> bool:
    return urlsplit(url).netloc == urlsplit(source).netloc or url.startswith("/")


def key_of(url: str, source: str) -> str:
    """The form old URLs are compared in: path (with query), no trailing slash."""
    parts = urlsplit(urljoin(source + "/", url))
    path = parts.path.rstrip("/") or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def convert(
    text: str, source: str, *, pages: dict, documents: dict, images: dict, warn, features=None
) -> str:
    """`pages`, `documents`, `images`: old URL key → Wagtail object id."""
    text = autop(strip_shortcodes(text, warn))

    def link(match):
        url = html.unescape(match.group(1))
        if not same_site(url, source):
            return match.group(0)
        key = key_of(url, source)
        if key in pages:
            return f'<a data-linktype="page" data-id="{pages[key]}">'
        if key in documents:
            return f'<a data-linktype="document" data-id="{documents[key]}">'
        if key in images:
            return match.group(0)
        warn(f"lien cassé vers l'ancien site : {url}")
        return match.group(0)

    def image(match):
        key = key_of(html.unescape(match.group(1)), source)
        # WordPress serves resized copies (photo-300x200.jpg) of one upload.
        if key not in images:
            key = re.sub(r"-\d+x\d+(\.\w+)$", r"\1", key)
        if key in images:
            alt = ALT.search(match.group(0))
            return (
                f'<img data-embedtype="image" data-id="{images[key]}" data-format="fullwidth" '
                f'data-alt="{alt.group(1) if alt else ""}"/>'
            )
        warn(f"image absente de l'export, retirée : {match.group(1)}")
        return ""

    text = IMG.sub(image, HREF.sub(link, text))
    return EditorHTMLConverter(features).to_database_format(text)


def plain(text: str, limit: int) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", strip_shortcodes(text, lambda message: None))
    return re.sub(r"\s+", " ", html.unescape(without_tags)).strip()[:limit]
