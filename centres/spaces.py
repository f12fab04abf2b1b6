"""Where a working group's member works in the admin. Such a user holds rights on two
trees (their centre's site and the group's pages on the national site), so Wagtail's
explorable root is their first common ancestor, the tree's Root: without this they land
there with its warning, the dashboard counts the whole network's pages, and uploads go
to the first collection by path (their centre's)."""

from django.contrib.auth.models import Group

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from .models import Centre
from .permissions import COORDINATION_GROUP


def _space_groups(user):
    """The user's groups that grant a space of their own on the national site: not a
    centre's editors, not the coordination (whose root is the national home already)."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return Group.objects.none()
    return user.groups.filter(edited_centre__isnull=True).exclude(name=COORDINATION_GROUP)


def group_space(user) -> Page | None:
    """The working group's page the user works on, if their rights span several trees."""
    homes = list(
        Centre.objects.filter(home_page__isnull=False).values_list("home_page__path", flat=True)
    )
    grants = (
        GroupPagePermission.objects.filter(
            group__in=_space_groups(user), permission__codename="add_page"
        )
        .select_related("page")
        .order_by("page__path")
    )
    for grant in grants:
        # A group granting rights inside a centre's tree (a centre's validators) is not
        # a space apart.
        if not any(grant.page.path.startswith(home) for home in homes):
            return grant.page
    return None


def group_collection(user) -> Collection | None:
    """The collection of the working group whose page `group_space` returns."""
    space = group_space(user)
    if space is None:
        return None
    groups = GroupPagePermission.objects.filter(page=space, group__in=_space_groups(user)).values(
        "group"
    )
    grant = (
        GroupCollectionPermission.objects.filter(group__in=groups, permission__codename="add_image")
        .select_related("collection")
        .order_by("collection__path")
        .first()
    )
    return grant.collection if grant else None


def own_pages(user):
    """The pages the user may work on: their permission roots and everything below."""
    roots = list(
        GroupPagePermission.objects.filter(group__user=user)
        .values_list("page__path", flat=True)
        .distinct()
    )
    if not roots:
        return Page.objects.none()
    from django.db.models import Q

    query = Q()
    for path in roots:
        query |= Q(path__startswith=path)
    return Page.objects.filter(query)
