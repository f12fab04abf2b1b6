"""Demo library: resource kinds, the 12 working groups of 2023 with their figures and
shared spaces, their joint publications, the two collective contributions of 2023,
partners, news, and a few publications in every centre's library."""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Site

from centres.models import Centre
from centres.permissions import (
    CENTRE_PAGE_PERMISSIONS,
    COLLECTION_PERMISSIONS,
    permission_by_codename,
)
from centres.provisioning import ensure_collection
from publications.models import (
    CollectiveContributionPage,
    ContributionIndexPage,
    LibraryPage,
    NewsIndexPage,
    NewsPage,
    Partner,
    PartnersPage,
    PublicationPage,
    ResourceKind,
    WorkingGroupIndexPage,
    WorkingGroupPage,
    WorkingGroupYear,
)

from .data import network

GROUP_PREFIX = "Groupe de travail · "


def publish(parent, page, report):
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.created.append(f"page {page.url_path}")
    return page


def child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def ensure_page(parent, model, slug, report, **fields):
    return child(parent, model, slug) or publish(parent, model(slug=slug, **fields), report)


def ensure_kinds():
    return {
        name: ResourceKind.objects.get_or_create(
            slug=slugify(name), defaults={"name": name[:1].upper() + name[1:]}
        )[0]
        for name in network()["resource_kinds_seen"]
    }


def ensure_publication(parent, report, *, title, authors, themes=(), slug=None, **fields):
    slug = slug or slugify(title)[:80]
    existing = child(parent, PublicationPage, slug)
    if existing is not None:
        return existing
    page = PublicationPage(title=title, slug=slug, **fields)
    parent.add_child(instance=page)
    page.authors.set(authors)
    page.tags.set(list(themes))
    page.save_revision().publish()
    report.created.append(f"publication {page.url_path}")
    return page


def ensure_group_space(group_page, centres, national_collection):
    """The Django group whose members (editors of the member centres) publish under the
    working group's page, and upload to its own collection."""
    group, _ = Group.objects.get_or_create(name=GROUP_PREFIX + group_page.title)
    group.permissions.add(permission_by_codename("wagtailadmin", "access_admin"))
    for codename in CENTRE_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=group_page, permission=permission_by_codename("wagtailcore", codename)
        )
    collection = national_collection.get_children().filter(
        name=group.name
    ).first() or national_collection.add_child(name=group.name)
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=permission_by_codename(app_label, codename),
            )
    return group


def seed_working_groups(national_home, kinds, report):
    index = ensure_page(
        national_home,
        WorkingGroupIndexPage,
        "groupes-de-travail",
        report,
        title="Groupes de travail",
        show_in_menus=True,
        introduction="<p>Douze groupes de travail thématiques réunissent les "
        "centres autour de productions communes.</p>",
    )
    centres = list(Centre.objects.order_by("name"))
    national_collection = ensure_collection("Réseau national")
    groups = {}
    for number, data in enumerate(network()["working_groups_2023"]):
        slug = slugify(data["name"])
        page = child(index, WorkingGroupPage, slug)
        if page is None:
            members = [
                centres[(number * 3 + i) % len(centres)] for i in range(data["centres_involved"])
            ]
            page = WorkingGroupPage(
                title=data["name"],
                slug=slug,
                introduction=f"<p>Le groupe de travail {data['name']} du réseau national.</p>",
            )
            index.add_child(instance=page)
            page.members.set(members)
            page.pilots.set(members[:1])
            page.co_pilots.set(members[1:2])
            WorkingGroupYear.objects.create(
                page=page,
                year=2023,
                centres_involved=data["centres_involved"],
                meetings=data["meetings"],
                modalities="\n".join(data.get("modalities", [])),
                partners="\n".join(data.get("partners", [])),
                deliverables="\n".join(data.get("deliverables", [])),
            )
            page.save_revision().publish()
            report.created.append(f"working group {slug}")
        group = ensure_group_space(page, centres, national_collection)
        groups[data["name"]] = (page, group)
    return groups


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
    index = ensure_page(
        national_home,
        ContributionIndexPage,
        "contributions",
        report,
        title="Contributions collectives",
        show_in_menus=False,
        introduction="<p>Chaque année, le réseau adresse une contribution "
        "collective à l'Agence nationale de la cohésion des territoires.</p>",
    )
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
    ensure_page(
        national_home,
        PartnersPage,
        "partenaires",
        report,
        title="Partenaires",
        introduction="<p>Les organisations avec lesquelles travaillent le réseau, ses "
        "centres et ses groupes de travail.</p>",
    )
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


def seed_news(home, site_name, report):
    index = ensure_page(
        home, NewsIndexPage, "actualite", report, title="Actualités", show_in_menus=True
    )
    today = timezone.localdate()
    for days, title in [
        (3, f"Les rendez-vous de {site_name} cet hiver"),
        (20, f"{site_name} publie son rapport d'activité"),
    ]:
        if not child(index, NewsPage, slugify(title)[:80]):
            publish(
                index,
                NewsPage(
                    title=title,
                    slug=slugify(title)[:80],
                    date=today - timedelta(days=days),
                    summary="Une actualité de démonstration.",
                    body="<p>Texte de l'actualité.</p>",
                ),
                report,
            )


def seed_centre_library(centre, neighbour, kinds, index, report):
    library = ensure_page(
        centre.home_page, LibraryPage, "ressources", report, title="Ressources", show_in_menus=True
    )
    themes = network()["themes_seen"]
    kind_names = list(kinds)
    for offset in range(3):
        theme = themes[(index + offset * 4) % len(themes)]
        kind = kinds[kind_names[(index + offset) % len(kind_names)]]
        ensure_publication(
            library,
            report,
            title=f"{kind.name} : {theme} en {centre.territory}",
            publication_date=date(2024 - offset, 1 + (index + offset) % 12, 1),
            kind=kind,
            authors=[centre] + ([neighbour] if offset == 0 else []),
            summary=f"Une ressource de {centre.name} sur {theme}.",
            themes=[theme],
            territory=centre.territory,
        )


def seed_library(national_home, centres, report):
    kinds = ensure_kinds()
    ensure_page(
        national_home,
        LibraryPage,
        "ressources",
        report,
        title="Ressources",
        show_in_menus=True,
        introduction="<p>Les ressources des 19 centres et des groupes de travail du réseau.</p>",
    )
    national_site = Site.objects.get(root_page=national_home)
    # The network's old /publications/ address lists the publications of the library.
    Redirect.objects.get_or_create(
        site=national_site,
        old_path="/publications",
        defaults={"redirect_link": "/ressources/?kind=publication", "is_permanent": True},
    )
    groups = seed_working_groups(national_home, kinds, report)
    seed_collective_publications(groups, kinds, report)
    seed_contributions(national_home, report)
    seed_partners(national_home, groups, report)
    seed_news(national_home, "le réseau", report)
    for index, centre in enumerate(centres):
        seed_centre_library(centre, centres[(index + 1) % len(centres)], kinds, index, report)
        seed_news(centre.home_page, centre.name, report)
    return groups


def group_member_accounts(groups):
    """One demo member per working group: an editor of the group's pilot centre who also
    belongs to the group's space. (The plain `editeur-<centre>` accounts stay centre
    editors only, so that they land on their own centre's tree in the admin.)"""
    for page, group in groups.values():
        pilot = page.pilots.first()
        if pilot is not None:
            yield f"gt-{page.slug}"[:150], [pilot.editors_group, group]
