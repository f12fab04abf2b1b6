"""Reading a WXR file safely (defusedxml: no entity expansion, no DTD, no external
resources) into plain records. Whatever is wrong with the file is one clear ImportFailed."""

import os
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.conf import settings

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from ..report import ImportFailed

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@dataclass
class Item:
    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    guid: str
    slug: str
    date: str  # "YYYY-MM-DD HH:MM:SS", the site's local time
    parent_id: str
    content: str
    excerpt: str
    attachment_url: str
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, nicename, name)
    meta: dict[str, str] = field(default_factory=dict)

    def __str__(self):
        return f"{self.post_type} {self.post_id} « {self.title} »"

    @property
    def themes(self) -> list[str]:
        names = {
            name.strip().lower()
            for domain, _, name in self.categories
            if domain in ("category", "post_tag", "tribe_events_cat") and name.strip()
        }
        return sorted(names - {"non classé", "uncategorized"})


@dataclass
class Export:
    source: str  # the WordPress site's address, which keys re-runs
    title: str
    items: list[Item]


def read_wxr(path: str) -> Export:
    limit = getattr(settings, "INTEROP_WXR_MAX_BYTES", 200 * 1024 * 1024)
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise ImportFailed(f"{path} : fichier illisible ({error.strerror})") from error
    if size > limit:
        raise ImportFailed(
            f"{path} : {size // (1024 * 1024)} Mio, au-delà de la limite de "
            f"{limit // (1024 * 1024)} Mio (INTEROP_WXR_MAX_BYTES)"
        )
    try:
        root = parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException as error:
        raise ImportFailed(
            f"{path} : DTD ou entités interdites dans le fichier ({error})"
        ) from error
    except ParseError as error:
        line, column = error.position
        raise ImportFailed(
            f"{path} : XML mal formé ou mal encodé (ligne {line}, colonne "
            f"{column}) : un export WordPress est en UTF-8"
        ) from error
    channel = root.find("channel")
    wp = wp_namespace(root)
    if root.tag != "rss" or channel is None or wp is None:
        raise ImportFailed(f"{path} : ce n'est pas un export WordPress (WXR)")
    source = (channel.findtext(f"{wp}base_blog_url") or channel.findtext("link") or "").rstrip("/")
    if not source:
        raise ImportFailed(f"{path} : l'export ne dit pas l'adresse du site WordPress")
    items = [read_item(element, wp) for element in channel.findall("item")]
    return Export(source=source, title=channel.findtext("title") or "", items=items)


# WordPress writes http://wordpress.org/export/1.x/; WordPress.com and newer exports
# write the same with https.
WP_NAMESPACES = ("{http://wordpress.org/export/", "{https://wordpress.org/export/")


def wp_namespace(root) -> str | None:
    for element in root.iter():
        if element.tag.startswith(WP_NAMESPACES):
            namespace = element.tag[1:].split("}")[0]
            if not namespace.endswith("/excerpt/"):
                return "{" + namespace + "}"
    return None


def read_item(element, wp) -> Item:
    def text(tag):
        return (element.findtext(tag) or "").strip()

    excerpt = next(
        (child.text or "" for child in element if child.tag.endswith("excerpt/}encoded")), ""
    )
    return Item(
        post_id=text(f"{wp}post_id"),
        post_type=text(f"{wp}post_type"),
        status=text(f"{wp}status"),
        title=text("title"),
        link=text("link"),
        guid=text("guid"),
        slug=text(f"{wp}post_name"),
        date=text(f"{wp}post_date"),
        parent_id=text(f"{wp}post_parent"),
        content=element.findtext(f"{CONTENT}encoded") or "",
        excerpt=excerpt.strip(),
        attachment_url=text(f"{wp}attachment_url"),
        categories=[
            (c.get("domain", ""), c.get("nicename", ""), c.text or "")
            for c in element.findall("category")
        ],
        meta={
            m.findtext(f"{wp}meta_key") or "": m.findtext(f"{wp}meta_value") or ""
            for m in element.findall(f"{wp}postmeta")
        },
    )
