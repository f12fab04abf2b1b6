"""A letter as mail: HTML (its CSS inlined by css-inline, so that every mail client
applies it) and plain text, rendered once per letter. What differs per recipient (the
unsubscribe link) is a placeholder replaced at sending time, so 2,500 mails cost one
rendering.

Links to the portal's pages go through the click counter (`/lettre/lien/…`) in the mail;
the archive's web version links directly and has no personal link at all."""

import html
import textwrap
from email.utils import formataddr

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags

import css_inline

UNSUBSCRIBE = "%%DESINSCRIPTION%%"
# Where the measuring image and its withdrawal link go, for a reader who consented to
# opens being measured (newsletter.sending); nothing for the others.
OPENS = "%%MESURE%%"
LINK_SALT = "newsletter.link"
INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def site_url(site, path: str) -> str:
    return site.root_url.rstrip("/") + path


def tracked(letter, url: str) -> str:
    token = signing.dumps([letter.pk, url], salt=LINK_SALT, compress=True)
    return site_url(letter.site, reverse("newsletter:link", args=[token]))


def read_link(token: str) -> tuple[int, str]:
    letter_id, url = signing.loads(token[:2000], salt=LINK_SALT)
    if not isinstance(letter_id, int) or not isinstance(url, str):
        raise signing.BadSignature("malformed")
    return letter_id, url


def sender(site) -> str:
    address = getattr(settings, "NEWSLETTER_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    return formataddr((site.site_name or "Réseau des CRPV", address))


def _blocks(letter, link):
    """The body's blocks as plain dicts, links already rewritten by `link`."""
    for block in letter.body:
        value = block.value
        if block.block_type == "item":
            yield "item", {**dict(value), "url": link(value["url"])}
        elif block.block_type == "button":
            yield "button", {**dict(value), "url": link(value["url"])}
        elif block.block_type == "image":
            rendition = value["image"].get_rendition("width-560")
            yield (
                "image",
                {
                    "src": site_url(letter.site, rendition.url)
                    if rendition.url.startswith("/")
                    else rendition.url,
                    "width": rendition.width,
                    "height": rendition.height,
                    "alt": value["alt"],
                    "caption": value["caption"],
                },
            )
        elif block.block_type == "text":
            yield "text", block.render()
        else:
            yield block.block_type, value


def render_html(letter, *, archive=False) -> str:
    link = (lambda url: url) if archive else (lambda url: tracked(letter, url))
    context = {
        "letter": letter,
        "site": letter.site,
        "blocks": list(_blocks(letter, link)),
        "archive": archive,
        "unsubscribe_url": UNSUBSCRIBE,
        "opens": OPENS if letter.mailing_list.count_opens and not archive else "",
        "subscribe_url": site_url(letter.site, reverse("newsletter:subscribe")),
        "archive_url": site_url(letter.site, reverse("newsletter:archive", args=[letter.pk])),
    }
    return INLINER.inline(render_to_string("newsletter/mail/letter.html", context))


def render_text(letter) -> str:
    site = letter.site
    lines = [letter.subject, "=" * min(len(letter.subject), 72), ""]
    wrap = textwrap.TextWrapper(width=72, break_long_words=False, break_on_hyphens=False)
    for block in letter.body:
        value = block.value
        kind = block.block_type
        if kind == "intro":
            lines += [*wrap.wrap(value), ""]
        elif kind == "heading":
            lines += [value.upper(), ""]
        elif kind == "item":
            head = f"[{value['kind']}] " if value["kind"] else ""
            lines.append(f"* {head}{value['title']}")
            if value["date"]:
                lines.append(f"  {value['date']}")
            if value["summary"]:
                lines += ["  " + line for line in wrap.wrap(value["summary"])]
            lines += [f"  {tracked(letter, value['url'])}", ""]
        elif kind == "text":
            text = html.unescape(strip_tags(str(value.source).replace("</p>", "</p>\n")))
            for paragraph in text.split("\n"):
                if paragraph.strip():
                    lines += [*wrap.wrap(paragraph), ""]
        elif kind == "image":
            lines += [f"[Image : {value['alt']}]", ""]
        elif kind == "button":
            lines += [f"{value['text']} : {tracked(letter, value['url'])}", ""]
    online = site_url(site, reverse("newsletter:archive", args=[letter.pk]))
    lines += [
        "--",
        f"{site.site_name} · {site_url(site, '/')}",
        f"Lire cette lettre en ligne : {online}",
        f"Se désinscrire : {UNSUBSCRIBE}",
    ]
    return "\n".join(lines) + "\n"
