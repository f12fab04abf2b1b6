"""Demo library: members of the working groups (the bootstrap creates the groups and
their spaces), their joint publications, the two collective contributions of 2023,
partners, news, and a few publications in every centre's library."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from centres.models import Centre
from network.groups import GROUP_PREFIX
from network.listings import (
    ensure_contributions_index,
    ensure_library,
    ensure_news_index,
    ensure_partners_page,
)
from network.pages import child
from portal.blocks import text_stream
from portal.wording import in_territory, of, the
from publications.models import (
    CollectiveContributionPage,
    NewsPage,
    Partner,
    PublicationDocument,
    PublicationPage,
)

from .agenda import agree
from .data import network
from .visuals import accent_of, centre_report, national_collection, picture

__all__ = ["GROUP_PREFIX", "seed_group_members", "seed_library", "group_member_accounts"]


def publish(parent, page, report):
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.created.append(f"page {page.url_path}")
    return page


def ensure_publication(parent, report, *, title, authors, themes=(), slug=None, **fields):
    slug = slug or slugify(title)[:80]
    existing = child(parent, PublicationPage, slug)
    if existing is not None:
        return existing
    page = PublicationPage(title=title, slug=slug, **fields)
    # Named before the first save: their consent records exist, accepted (the network's
    # real co-signatures), before the publication.
    page.authors.set(authors)
    parent.add_child(instance=page)
    agree(page, authors)
    page.tags.set(list(themes))
    page.save_revision().publish()
    report.created.append(f"publication {page.url_path}")
    return page


def seed_group_members(groups):
    """Example members, pilot and co-pilot for each working group that has none yet
    (the coordination fills in the real ones)."""
    centres = list(Centre.objects.order_by("name"))
    for number, data in enumerate(network()["working_groups_2023"]):
        page, _ = groups[data["name"]]
        if page.members.exists():
            continue
        members = [
            centres[(number * 3 + i) % len(centres)] for i in range(data["centres_involved"])
        ]
        page.members.set(members)
        page.pilots.set(members[:1])
        page.co_pilots.set(members[1:2])
        page.save_revision().publish()


def seed_collective_publications(groups, kinds, report):
    for item in network()["collective_publications_2023"]:
        page, _ = groups[item["group"]]
        year, _, month = item["date"].partition("-")
        slug = (item.get("path") or "").rstrip("/").rsplit("/", 1)[-1] or None
        ensure_publication(
            page,
            report,
            title=item["title"],
            slug=slug,
            publication_date=date(int(year), int(month or 12), 1),
            kind=kinds.get("publication"),
            authors=list(page.members.all()[:3]),
            summary=f"Publication commune du groupe de travail {item['group']}.",
            themes=[item["group"].lower()],
        )


def seed_contributions(national_home, report):
    index = ensure_contributions_index(national_home, report)
    centres = list(Centre.objects.order_by("name"))
    for number, data in enumerate(network()["collective_contributions_2023"]):
        slug = slugify(data["title"])
        if child(index, CollectiveContributionPage, slug):
            continue
        page = CollectiveContributionPage(
            title=data["title"],
            slug=slug,
            year=2023,
            question=data["question"],
            status=CollectiveContributionPage.Status.IN_PROGRESS,
            status_note=data["status"],
        )
        index.add_child(instance=page)
        page.centres.set(centres[number::2])
        page.save_revision().publish()
        report.created.append(f"contribution {slug}")


def seed_partners(national_home, groups, report):
    ensure_partners_page(national_home, report)
    state = {"ANCT", "ANRU", "BPI", "ADEME", "CEREQ"}
    for data in network()["working_groups_2023"]:
        for name in data.get("partners", []):
            partner, created = Partner.objects.get_or_create(
                name=name,
                defaults={"kind": Partner.Kind.STATE if name in state else Partner.Kind.NETWORK},
            )
            partner.working_groups.add(groups[data["name"]][0])
            partner.save()  # parental relations are written on save
            if created:
                report.created.append(f"partner {name}")


def seed_news(home, site_name, report, centre=None):
    index = ensure_news_index(home, report)
    today = timezone.localdate()
    for days, title in [
        (3, f"Les rendez-vous {of(site_name)} cet hiver"),
        (20, f"{site_name} publie son rapport d’activité"),
    ]:
        if not child(index, NewsPage, slugify(title)[:80]):
            image = {}
            if days == 3:  # the latest news of each site has a picture
                alt = "Dessin d’un quartier au soleil d’hiver"
                image = {
                    "image": picture(
                        centre.collection if centre else national_collection(),
                        f"Actualité {site_name}",
                        accent_of(centre) if centre else "#1d4f91",
                        (centre.pk if centre else 0) + 200,
                        alt,
                    ),
                    "image_alt": alt,
                }
            publish(
                index,
                NewsPage(
                    title=title[:1].upper() + title[1:],
                    slug=slugify(title)[:80],
                    date=today - timedelta(days=days),
                    summary="Une actualité de démonstration.",
                    body=text_stream("<p>Texte de l’actualité.</p>"),
                    **image,
                ),
                report,
            )


def seed_centre_library(centre, neighbour, kinds, index, report):
    library = ensure_library(centre.home_page, report)
    themes = network()["themes_seen"]
    kind_names = list(kinds)
    for offset in range(3):
        theme = themes[(index + offset * 4) % len(themes)]
        kind = kinds[kind_names[(index + offset) % len(kind_names)]]
        title = f"{kind.name}\u00a0: {theme} {in_territory(centre.territory)}"
        media = {}
        if offset == 0 and not child(library, PublicationPage, slugify(title)[:80]):
            # The latest resource comes with its PDF (its first page as its cover).
            document = centre_report(centre, f"Rapport d’activité {centre.name}")
            media["documents"] = [PublicationDocument(document=document, label="")]
        ensure_publication(
            library,
            report,
            title=title,
            publication_date=date(2024 - offset, 1 + (index + offset) % 12, 1),
            kind=kind,
            authors=[centre] + ([neighbour] if offset == 0 else []),
            summary=f"Une ressource {of(centre.name)} sur {the(theme)}.",
            themes=[theme],
            territory=centre.territory,
            **media,
        )


def seed_library(network, report):
    national_home, centres, kinds = network.national_home, network.centres, network.kinds
    seed_collective_publications(network.groups, kinds, report)
    seed_contributions(national_home, report)
    seed_partners(national_home, network.groups, report)
    seed_news(national_home, "le réseau", report)
    for index, centre in enumerate(centres):
        seed_centre_library(centre, centres[(index + 1) % len(centres)], kinds, index, report)
        seed_news(centre.home_page, centre.name, report, centre)


def group_member_accounts(groups):
    """One demo member per working group: an editor of the group's pilot centre who also
    belongs to the group's space. (The plain `editeur-<centre>` accounts stay centre
    editors only, so that they land on their own centre's tree in the admin.)"""
    for page, group in groups.values():
        pilot = page.pilots.first()
        if pilot is not None:
            yield f"gt-{page.slug}"[:150], [pilot.editors_group, group]
