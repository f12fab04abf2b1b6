"""The 12 working groups: their pages under `/groupes-de-travail/` with the year's
figures from the facts, and each group's space (a Django group allowed to publish under
the group's page and to upload to its own collection). Which centres are members is the
coordination's to fill in (the demo picks some)."""

from django.contrib.auth.models import Group
from django.utils.text import slugify

from wagtail.models import GroupCollectionPermission, GroupPagePermission

from centres.permissions import (
    CENTRE_PAGE_PERMISSIONS,
    COLLECTION_PERMISSIONS,
    permission_by_codename,
)
from centres.provisioning import ensure_collection
from publications.models import WorkingGroupIndexPage, WorkingGroupPage, WorkingGroupYear

from .facts import network
from .pages import child, ensure_page
from .sites import NATIONAL_COLLECTION

GROUP_PREFIX = "Groupe de travail · "


def ensure_group_space(group_page, national_collection):
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


def bootstrap_working_groups(national_home, report):
    """Returns {group name: (page, Django group)}."""
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
    national_collection = ensure_collection(NATIONAL_COLLECTION)
    groups = {}
    for data in network()["working_groups_2023"]:
        slug = slugify(data["name"])
        page = child(index, WorkingGroupPage, slug)
        if page is None:
            page = WorkingGroupPage(
                title=data["name"],
                slug=slug,
                introduction=f"<p>Le groupe de travail {data['name']} du réseau national.</p>",
            )
            index.add_child(instance=page)
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
        groups[data["name"]] = (page, ensure_group_space(page, national_collection))
    return groups
