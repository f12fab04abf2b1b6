"""WordPress post content → the portal's body blocks (portal/blocks.py).

Classic content and Gutenberg's saved HTML are read alike: the saved HTML carries each
block's structure (`<figure class="wp-block-table">`, `<pre class="wp-block-code">`...),
the `<!-- wp:... -->` comments only name it. Text between blocks joins the paragraph
that follows; columns and groups are unwrapped, their content kept in order. What has no
block (a form, a script, an iframe that is not a video, a plugin's shortcode) is counted
in the report with its post: nothing disappears without a line saying so."""

import html
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .content import convert, key_of, same_site, strip_shortcodes

# Shortcodes turned into the HTML WordPress would have displayed, before reading.
CAPTION = re.compile(r"\[(?:wp_)?caption([^\]]*)\](.*?)\[/(?:wp_)?caption\]", re.S | re.I)
GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.I)
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.S | re.I)
IDS = re.compile(r'ids\s*=\s*["\']?([\d,\s]+)', re.I)
INLINE = {"a", "abbr", "b", "br", "cite", "code", "em", "i", "small", "span", "strong", "sub"}
INLINE |= {"sup", "u", "mark", "time", "q", "s", "del", "ins", "kbd", "img"}
RICH = {"p", "ul", "ol", "dl", "address"}
WRAPPERS = {"div", "section", "article", "main", "aside", "header", "footer", "center"}
WRAPPERS |= {"nav", "span", "font", "body", "html"}
DROPPED = {
    "form": "formulaire",
    "input": "formulaire",
    "select": "formulaire",
    "textarea": "formulaire",
    "button": "formulaire",
    "script": "script",
    "noscript": "script",
    "style": "feuille de style",
    "object": "objet intégré (Flash ou autre)",
    "embed": "objet intégré (Flash ou autre)",
    "svg": "dessin SVG",
    "canvas": "dessin (canvas)",
    "map": "carte cliquable",
}
VIDEO_HOSTS = (
    "youtube.com",
    "youtube-nocookie.com",
    "youtu.be",
    "vimeo.com",
    "dailymotion.com",
    "peertube",
    "soundcloud",
)


@dataclass
class Context:
    """What the conversion needs from the import run."""

    source: str
    pages: dict
    documents: dict
    images: dict
    attachments: dict  # attachment post id → Image or Document
    warn: object  # warn(message): a problem with an item kept
    dropped: object  # dropped(kind): an element with no block
    elements: list = field(default_factory=list)


def expand_shortcodes(text: str) -> str:
    def caption(match):
        attributes, inner = match.groups()
        image = re.search(r"<img\s[^>]*>", inner, re.I)
        words = re.sub(r"<a\s[^>]*>\s*<img\s[^>]*>\s*</a>|<img\s[^>]*>", "", inner, flags=re.I)
        if not image:
            return inner
        return f"<figure>{image.group(0)}<figcaption>{words.strip()}</figcaption></figure>"

    def gallery(match):
        ids = IDS.search(match.group(1))
        listed = ids.group(1) if ids else ""
        return f'<figure class="wp-block-gallery" data-ids="{listed}"></figure>'

    text = CAPTION.sub(caption, text)
    text = GALLERY.sub(gallery, text)
    return EMBED.sub(lambda m: f'<figure class="wp-block-embed">{m.group(1)}</figure>', text)


INLINE_START = re.compile(
    r"<(a|abbr|b|br|cite|code|em|i|img|q|s|small|span|strong|sub|sup|u|mark|time)[\s>/]", re.I
)
INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|cite|code|em|i|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>"
)
PRE = re.compile(r"<pre[\s>].*?</pre>", re.S | re.I)


def paragraphs(text: str) -> str:
    """wpautop: text between blank lines is a paragraph, unless it starts with a block
    element (Gutenberg's saved HTML, a table, a figure...). Blank lines inside <pre> stay."""
    text = PRE.sub(lambda m: m.group(0).replace("\n", "\x00"), text.replace("\r\n", "\n"))
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("<") and not INLINE_START.match(chunk):
            out.append(chunk)
        else:
            out.append(f"<p>{chunk.replace(chr(10), '<br/>')}</p>")
    return "\n".join(out).replace("\x00", "\n")


def classes(tag: Tag) -> set[str]:
    return set(tag.get("class") or [])


def text_of(tag) -> str:
    return " ".join(tag.get_text(" ").split())


class Converter:
    def __init__(self, context: Context):
        self.context = context
        self.blocks: list[dict] = []
        self.buffer: list[str] = []  # rich-text HTML waiting to become a paragraph block

    # --- output ------------------------------------------------------------------
    def add(self, kind, value):
        self.flush()
        self.blocks.append({"type": kind, "value": value})

    def flush(self):
        text = "".join(self.buffer).strip()
        self.buffer = []
        if not text:
            return
        if not re.match(r"<(p|ul|ol|dl|address|h[2-4])[\s>]", text):
            text = f"<p>{text}</p>"
        rich = self.rich(text)
        if re.sub(r"<[^>]+>|\s|&nbsp;", "", rich) or "<embed" in rich:
            self.blocks.append({"type": "paragraph", "value": rich})

    def rich(self, text):
        c = self.context
        return convert(
            text, c.source, pages=c.pages, documents=c.documents, images=c.images, warn=c.warn
        )

    # --- reading -----------------------------------------------------------------
    def run(self, content: str) -> list[dict]:
        def shortcode(message):
            self.context.dropped(message.split(" retiré")[0])

        content = paragraphs(strip_shortcodes(expand_shortcodes(content), shortcode))
        soup = BeautifulSoup(content, "html.parser")
        self.children(soup)
        self.flush()
        return self.blocks

    def children(self, parent):
        for node in list(parent.children):
            self.node(node)

    def node(self, node):
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            if str(node).strip():
                self.buffer.append(html.escape(str(node)))
            return
        if not isinstance(node, Tag):
            return
        name, css = node.name.lower(), classes(node)
        handler = getattr(self, f"tag_{name}", None)
        if name in DROPPED:
            self.context.dropped(DROPPED[name])
        elif handler is not None:
            handler(node, css)
        elif re.fullmatch(r"h[1-6]", name):
            self.heading(node)
        elif name in RICH:
            self.buffer.append(str(node))
        elif "wp-block-cover" in css or "wp-block-cover-image" in css:
            self.cover(node)
        elif "wp-block-buttons" in css or "wp-block-button" in css:
            self.buttons(node)
        elif "wp-block-file" in css:
            self.file(node)
        elif name in WRAPPERS:
            self.children(node)
        elif name in INLINE:
            self.buffer.append(str(node))
        else:
            # An unknown element: its text is kept as a paragraph, and the report says so.
            self.context.dropped(f"élément <{name}> (texte gardé)")
            self.buffer.append(f"<p>{html.escape(text_of(node))}</p>")

    def heading(self, node):
        level = {"h1": "h2", "h2": "h2", "h3": "h3"}.get(node.name.lower(), "h4")
        text = text_of(node)
        if text:
            self.add("heading", {"text": text[:255], "level": level})

    # --- elements with their own block ---------------------------------------------
    def tag_hr(self, node, css):
        self.add("separator", None)

    def tag_table(self, node, css, caption=""):
        rows = node.find_all("tr")
        data = [[text_of(cell) for cell in row.find_all(["th", "td"])] for row in rows]
        data = [row for row in data if row]
        if not data:
            return
        width = max(len(row) for row in data)
        data = [row + [""] * (width - len(row)) for row in data]
        head = node.find("thead") is not None or all(
            cell.name == "th" for cell in rows[0].find_all(["th", "td"])
        )
        body_rows = rows[1:] if head else rows
        first_col = bool(body_rows) and all(
            (row.find(["th", "td"]) or row).name == "th" for row in body_rows
        )
        own = node.find("caption")
        self.add(
            "table",
            {
                "data": data,
                "first_row_is_table_header": head,
                "first_col_is_header": first_col,
                "table_caption": (caption or (text_of(own) if own else ""))[:255],
                "cell": [],
                "mergeCells": [],
            },
        )

    def tag_blockquote(self, node, css, highlighted=False):
        cite = node.find("cite")
        attribution = text_of(cite) if cite else ""
        if cite:
            cite.extract()
        paragraphs = [text_of(p) for p in node.find_all("p")] or [text_of(node)]
        text = "\n".join(p for p in paragraphs if p)
        if text:
            value = {"text": text, "attribution": attribution[:255], "highlighted": highlighted}
            self.add("quote", value)

    def tag_pre(self, node, css):
        code = node.find("code")
        self.add("code", {"kind": "code" if code else "pre", "text": node.get_text()})

    def tag_details(self, node, css):
        summary = node.find("summary")
        title = text_of(summary) if summary else "Détails"
        if summary:
            summary.extract()
        inner = "".join(str(child) for child in node.children)
        self.add("details", {"summary": title[:255], "content": self.rich(paragraphs(inner))})

    def tag_img(self, node, css, caption=""):
        image = self.image(node)
        if image is not None:
            self.add("figure", {"image": image, "caption": caption[:500]})

    def tag_iframe(self, node, css):
        url = video_url(node.get("src", ""))
        if url:
            self.add("embed", url)
        else:
            self.context.dropped("iframe (contenu d'un autre site)")

    def tag_video(self, node, css):
        self.media(node, "vidéo")

    def tag_audio(self, node, css):
        self.media(node, "son")

    def tag_a(self, node, css):
        if "wp-block-button__link" in css:
            self.button(node)
        else:
            self.buffer.append(str(node))

    def tag_figure(self, node, css):
        caption_tag = node.find("figcaption", recursive=False)
        caption = text_of(caption_tag) if caption_tag else ""
        if "wp-block-gallery" in css or len(node.find_all("img")) > 1 or node.get("data-ids"):
            return self.gallery(node, caption)
        if "wp-block-embed" in css or ("wp-block-video" in css and node.find("iframe")):
            return self.embed(node)
        if node.find("table"):
            return self.tag_table(node.find("table"), css, caption)
        if node.find("blockquote"):
            return self.tag_blockquote(node.find("blockquote"), css, "wp-block-pullquote" in css)
        if node.find("video") or node.find("audio"):
            return self.node(node.find(["video", "audio"]))
        if node.find("img"):
            return self.tag_img(node.find("img"), css, caption)
        self.children(node)

    # --- composite WordPress blocks ------------------------------------------------
    def gallery(self, node, caption):
        items = []
        ids = [i for i in re.split(r"[,\s]+", node.get("data-ids", "")) if i]
        for post_id in ids:
            if post_id not in self.context.attachments:
                self.context.warn(f"image de galerie absente de l'export, retirée : {post_id}")
                continue
            target = self.context.attachments[post_id]
            if target is None or not hasattr(target, "get_rendition"):
                continue  # not downloaded (said already) or an essai à blanc
            items.append({"image": image_value(target.pk, target.title), "caption": ""})
        for img in node.find_all("img"):
            figure = img.find_parent("figure")
            own = figure.find("figcaption") if figure is not None and figure is not node else None
            image = self.image(img)
            if image is not None:
                items.append({"image": image, "caption": (text_of(own) if own else "")[:500]})
        if items:
            self.add("gallery", {"images": items, "caption": caption[:255]})

    def embed(self, node):
        iframe = node.find("iframe")
        url = video_url(iframe.get("src", "")) if iframe else ""
        if not url:
            wrapper = node.find(class_="wp-block-embed__wrapper") or node
            url = text_of(wrapper).split(" ")[0]
        if url.startswith(("http://", "https://")):
            self.add("embed", url)
        else:
            self.context.dropped("contenu intégré sans adresse")

    def cover(self, node):
        background = node.find("img")
        if background is not None:
            background.extract()
            image = self.image(background)
            if image is not None:
                self.add("figure", {"image": image, "caption": ""})
        self.children(node)

    def buttons(self, node):
        links = node.find_all("a")
        if not links:
            self.children(node)
        for link in links:
            self.button(link)

    def button(self, link):
        text, url = text_of(link), html.unescape(link.get("href", ""))
        if not text:
            return
        source = self.context.source
        key = key_of(url, source) if url and same_site(url, source) else None
        if key in self.context.pages:
            self.add("button", {"text": text[:255], "page": self.context.pages[key], "url": ""})
        elif url.startswith(("http://", "https://")):
            self.add("button", {"text": text[:255], "page": None, "url": url})
        else:
            self.context.warn(f"bouton sans adresse valable, gardé comme texte : {text}")
            self.buffer.append(f"<p>{html.escape(text)}</p>")

    def file(self, node):
        link = node.find("a", href=True)
        document = self.document(link.get("href", "")) if link else None
        if document is None:
            self.children(node)
            return
        title = text_of(link) or ""
        self.add("document", {"document": document, "title": title[:255]})

    def media(self, node, what):
        source = node.get("src") or (node.find("source") or {}).get("src", "")
        document = self.document(source) if source else None
        if document is not None:
            self.add("document", {"document": document, "title": ""})
        elif video_url(source):
            self.add("embed", video_url(source))
        else:
            self.context.dropped(f"{what} hébergée sur l'ancien site, absente de l'export")

    # --- lookups -------------------------------------------------------------------
    def document(self, url):
        url = html.unescape(url)
        if not same_site(url, self.context.source):
            return None
        return self.context.documents.get(key_of(url, self.context.source)) or None

    def image(self, img):
        src = html.unescape(img.get("src", ""))
        key = key_of(src, self.context.source)
        images = self.context.images
        if key not in images:
            key = re.sub(r"-\d+x\d+(\.\w+)$", r"\1", key)  # a resized copy of one upload
        if not images.get(key):
            if key not in images:
                self.context.warn(f"image absente de l'export, retirée : {src}")
            return None
        return image_value(images[key], img.get("alt", ""))


def image_value(image_id, alt):
    alt = " ".join(html.unescape(alt or "").split())[:255]
    return {"image": image_id, "decorative": not alt, "alt_text": alt}


def video_url(src: str) -> str:
    """The public address of a video player's URL (YouTube, Vimeo...), or ""."""
    src = html.unescape(src or "")
    if src.startswith("//"):
        src = "https:" + src
    parts = urlsplit(src)
    host = parts.netloc.lower().removeprefix("www.")
    if not any(known in host for known in VIDEO_HOSTS):
        return ""
    match = re.match(r"/embed/([\w-]+)", parts.path)
    if "youtube" in host and match:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    if "youtube-nocookie" in host and match:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    if "youtube" in host and parse_qs(parts.query).get("v"):
        return src
    if "player.vimeo.com" in host:
        number = re.search(r"/video/(\d+)", parts.path)
        return f"https://vimeo.com/{number.group(1)}" if number else src
    return src


def to_blocks(content: str, context: Context) -> list[dict]:
    return Converter(context).run(content)


def first_paragraph(blocks: list[dict]) -> str:
    """The summary of a post without excerpt: its first paragraph's text, never a table."""
    for block in blocks:
        if block["type"] == "paragraph":
            inline_gone = INLINE_TAG.sub("", block["value"])
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inline_gone)).split())
            if text:
                return text
    return ""
