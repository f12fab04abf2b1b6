"""The demo's images and documents (drawn by `media`): each site's logo and banner, a
cover for a centre's next day of exchanges and for its news, a PDF report in each
centre's library (its first page as the publication's thumbnail), and the national
events' replay and synthesis. Each image or document is made once (found by title in
the centre's collection on a second run)."""

from wagtail.models import Collection

from centres.models import Centre, SiteIdentity
from network.sites import NATIONAL_COLLECTION
from portal.wording import in_territory
from publications.thumbnails import make_thumbnail

from .media import (
    ensure_document,
    ensure_image,
    logo_bytes,
    pdf_bytes,
    picture_bytes,
)

NATIONAL_ACCENT = "#1d4f91"


def accent_of(centre) -> str:
    identity = SiteIdentity.objects.filter(site__root_page=centre.home_page_id).first()
    return identity.accent_colour if identity else NATIONAL_ACCENT


def initials(name: str) -> str:
    """ "IREV" for IREV, "LC" for Labo Cités."""
    words = [part for part in name.replace("-", " ").split() if part[:1].isalnum()]
    if len(words) == 1:
        return words[0][:4].upper()
    return "".join(word[0] for word in words[:3]).upper() or name[:2].upper()


def picture(collection, title, accent, seed, alt, size=(800, 450)):
    """An illustration, with the description that serves as its default alt text."""
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:60]
    return ensure_image(
        collection, title, picture_bytes(accent, seed, size), f"{slug}.jpg", description=alt
    )


def national_collection():
    return (
        Collection.objects.filter(name=NATIONAL_COLLECTION).first()
        or Collection.get_first_root_node()
    )


def seed_identities(national_home):
    """A logo and a banner on every site that has none."""
    for identity in SiteIdentity.objects.select_related("site").filter(banner__isnull=True):
        centre = Centre.objects.filter(home_page_id=identity.site.root_page_id).first()
        if centre is None and identity.site.root_page_id != national_home.pk:
            continue
        name = centre.name if centre else "RNCRPV"
        collection = centre.collection if centre else national_collection()
        seed = centre.pk if centre else 0
        accent = identity.accent_colour or NATIONAL_ACCENT
        identity.banner = picture(
            collection, f"Bannière {name}", accent, seed + 100, "", size=(1440, 360)
        )
        if identity.logo_id is None:
            identity.logo = ensure_image(
                collection, f"Logo {name}", logo_bytes(accent, initials(name)), "logo.png"
            )
        identity.save()
        if centre is not None and centre.logo_id is None:
            centre.logo = identity.logo
            centre.save(update_fields=["logo"])


def centre_report(centre, title):
    """A one-page PDF report of the centre, in its collection."""
    paragraphs = [
        f"{centre.long_name or centre.name} accompagne les professionnels de la politique "
        f"de la ville {in_territory(centre.territory)}\u00a0: qualification, mise en réseau, "
        "capitalisation.",
        "Ce document de démonstration présente les travaux de l’année, les rencontres "
        "organisées et les ressources publiées avec les acteurs des quartiers prioritaires.",
        "Il est produit par le jeu de données de démonstration du portail.",
    ]
    document = ensure_document(
        centre.collection,
        title,
        pdf_bytes(title, f"{centre.name} · {centre.territory}", paragraphs, accent_of(centre)),
        f"{centre.slug}-rapport.pdf",
    )
    # Drawn here (the seed needs no worker running): the publication then has nothing
    # to ask of the background queue.
    make_thumbnail(document.pk)
    return document


def synthesis(title, accent=NATIONAL_ACCENT):
    paragraphs = [
        "Synthèse des échanges\u00a0: constats partagés, leviers d’action repérés dans les "
        "territoires et pistes de travail pour les contrats de ville.",
        "Les intervenants ont présenté des démarches menées avec les habitants et les "
        "associations des quartiers prioritaires.",
    ]
    return ensure_document(
        national_collection(),
        f"Synthèse\u00a0: {title}"[:255],
        pdf_bytes(f"Synthèse\u00a0: {title}", "Réseau national des CRPV", paragraphs, accent),
        "synthese.pdf",
    )
