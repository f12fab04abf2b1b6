"""Demo offers: a job offer, a call for projects or a funding on every centre's site and
two on the portal, open for some weeks from the day of the seed; IREV also keeps a
closed one, which shows the "clôturée" notice at its address."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from network.listings import ensure_offers
from network.pages import child
from offers.models import OfferKind, OfferPage
from portal.blocks import text_stream

from .library import publish
from .visuals import accent_of, national_collection, picture

# The network's job offer and IREV's open offer have a cover (a few, not one per centre:
# the national listing's first visit makes every cover's renditions).
COVERED_CENTRES = {"irev"}
COVER_ALT = "Dessin d’une équipe autour d’une table de réunion"


def offer_cover(centre, seed):
    collection = centre.collection if centre else national_collection()
    name = centre.name if centre else "RNCRPV"
    accent = accent_of(centre) if centre else "#1d4f91"
    image = picture(collection, f"Offre {name}", accent, seed, COVER_ALT)
    return {"cover_image": image, "cover_alt": COVER_ALT}


JOBS = [
    (OfferKind.JOB, "Chargé·e de mission politique de la ville", "CDI, temps plein"),
    (OfferKind.CALL, "Appel à projets « Quartiers solidaires »", "Jusqu’à 20 000 € par projet"),
    (OfferKind.FUNDING, "Financement des actions d’éducation populaire", "5 000 à 15 000 €"),
    (
        OfferKind.JOB,
        "Stage\u00a0: appui à l’observation des quartiers",
        "Stage de 6 mois, gratifié",
    ),
]


def ensure_offer(index, report, *, title, **fields):
    slug = slugify(title)[:80]
    page = child(index, OfferPage, slug)
    if page is None:
        page = publish(index, OfferPage(title=title, slug=slug, **fields), report)
    return page


def seed_offers(network, report):
    today = timezone.localdate()
    national = ensure_offers(network.national_home, report)
    ensure_offer(
        national,
        report,
        title="Coordinateur·rice du réseau national des CRPV",
        kind=OfferKind.JOB,
        organisation="Réseau national des CRPV",
        place="Paris",
        territory="National",
        contract="CDD de 18 mois, temps plein",
        closing_date=today + timedelta(days=45),
        summary="Le réseau recrute sa coordination nationale.",
        link="https://reseau-crpv.example.org/recrutement",
        body=text_stream(
            "<p>Missions\u00a0: animer le réseau, coordonner les groupes de travail.</p>"
        ),
        **offer_cover(None, 300),
    )
    ensure_offer(
        national,
        report,
        title="Appel à contributions\u00a0: les 40 ans de la politique de la ville",
        kind=OfferKind.CALL,
        organisation="Agence nationale de la cohésion des territoires",
        territory="National",
        contract="Publication dans la revue du réseau",
        closing_date=today + timedelta(days=60),
        summary="Témoignages et analyses de professionnels des quartiers.",
        link="https://anct.example.org/appel-contributions",
    )
    for number, centre in enumerate(network.centres):
        index = ensure_offers(centre.home_page, report)
        kind, title, contract = JOBS[number % len(JOBS)]
        ensure_offer(
            index,
            report,
            title=f"{title} ({centre.name})",
            kind=kind,
            organisation=centre.long_name if kind == OfferKind.JOB else "Préfecture de région",
            place=centre.territory,
            territory=centre.territory,
            contract=contract,
            closing_date=today + timedelta(days=14 + 3 * number),
            summary=f"Une offre de démonstration relayée par {centre.name}.",
            link=f"https://{centre.slug}.example.org/offres/{number}",
            body=text_stream("<p>Profil recherché, missions et modalités de candidature.</p>"),
            **(offer_cover(centre, centre.pk + 300) if centre.slug in COVERED_CENTRES else {}),
        )
        if centre.slug == "irev":
            ensure_offer(
                index,
                report,
                title="Chargé·e de documentation (offre pourvue)",
                kind=OfferKind.JOB,
                organisation=centre.long_name,
                place="Lille",
                territory=centre.territory,
                contract="CDD de 12 mois",
                closing_date=today - timedelta(days=10),
                summary="Une offre clôturée\u00a0: elle reste consultable à son adresse.",
                body=text_stream("<p>Cette offre est pourvue.</p>"),
            )
