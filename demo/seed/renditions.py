"""The demo's image renditions, made by the seed: every cover in the styles the templates
show it in (cards, page heads, the picture shared on social networks), each site's
banner and header logo (also the picture its pages without a cover share), each
centre's logo on its home. Otherwise Wagtail makes a rendition the first time a
template asks for it (about 60 ms a cover: AVIF, WebP and JPEG at two widths): the
demo's first visitors would wait for them, and so would every test, whose changes
(renditions included) are rolled back after it."""

from agenda.models import EventPage
from centres.models import Centre, SiteIdentity
from offers.models import OfferPage
from portal.covers import Cover, picture
from portal.templatetags.social_tags import SHARING_SPEC
from publications.models import NewsPage, PublicationPage

# `{% cover page "card" %}` on every listing, `{% cover page "head" %}` on the page.
PAGE_STYLES = ("card", "head")
# portal/templates/base.html and centres/templates/centres/centre_home_page.html.
HEADER_LOGO, CENTRE_LOGO = "height-48", "max-160x160"


def seed_renditions() -> int:
    """Makes what is missing; returns the number of covers and images gone through."""
    done = 0
    for model in (EventPage, PublicationPage, NewsPage, OfferPage):
        for page in model.objects.live():
            cover = page.cover
            if cover is not None:
                for style in PAGE_STYLES:
                    picture(cover, style)
                cover.image.get_rendition(SHARING_SPEC)
                done += 1
    for identity in SiteIdentity.objects.select_related("banner", "logo"):
        if identity.banner is not None:
            picture(Cover(identity.banner, ""), "banner")
            done += 1
        if identity.logo is not None:
            identity.logo.get_rendition(HEADER_LOGO)
            identity.logo.get_rendition(SHARING_SPEC)
            done += 1
    for centre in Centre.objects.exclude(logo=None).select_related("logo"):
        centre.logo.get_rendition(CENTRE_LOGO)
        done += 1
    return done
