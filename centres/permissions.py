"""The network's groups and what they may touch, created idempotently by the seed
command. Every grant is scoped by structure: a page subtree, a collection, a site."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from wagtail.models import GroupCollectionPermission, GroupPagePermission, GroupSitePermission

from .models import Centre, SiteIdentity

COORDINATION_GROUP = "Coordination nationale"
EDITORS_GROUP_PREFIX = "Éditeurs · "

# No bulk_delete for centres: an editor deletes pages one by one and cannot wipe a
# subtree (or their home page) in one click.
CENTRE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COORDINATION_PAGE_PERMISSIONS = CENTRE_PAGE_PERMISSIONS + ["bulk_delete_page"]
COLLECTION_PERMISSIONS = {
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
}


def permission_by_codename(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def submit_translation_permission():
    """wagtail-localize's permission, created by one of its migrations (on a content type
    of no model) and so not recreated by `post_migrate` after a database flush (the
    live-server tests): made again here, the way that migration makes it."""
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    return permission


def _grant(group, page, collection, site):
    group.permissions.add(permission_by_codename("wagtailadmin", "access_admin"))
    for codename in (
        COORDINATION_PAGE_PERMISSIONS
        if group.name == COORDINATION_GROUP
        else CENTRE_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission_by_codename("wagtailcore", codename)
        )
    for app_label, codenames in COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=permission_by_codename(app_label, codename),
            )
    # Translations (docs/i18n.md): wagtail-localize's "Traduire" action. The admin
    # offers it only on the national site's pages and on those of a centre that enabled
    # English (portal.wagtail_hooks); the English pages are edited with the rights the
    # group has on the French site (portal.i18n.share_root_permissions).
    group.permissions.add(submit_translation_permission())
    identity_type = ContentType.objects.get_for_model(SiteIdentity)
    GroupSitePermission.objects.get_or_create(
        group=group,
        site=site,
        permission=Permission.objects.get(
            content_type=identity_type, codename="change_siteidentity"
        ),
    )


def ensure_centre_editors(centre: Centre, site) -> Group:
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP_PREFIX + centre.name)
    _grant(group, centre.home_page, centre.collection, site)
    if centre.editors_group_id != group.pk:
        centre.editors_group = group
        centre.save(update_fields=["editors_group"])
    return group


def ensure_coordination(national_home, national_collection, national_site) -> Group:
    group, _ = Group.objects.get_or_create(name=COORDINATION_GROUP)
    _grant(group, national_home, national_collection, national_site)
    # The coordinator keeps the centre registry (not the centres' own sites).
    centre_type = ContentType.objects.get_for_model(Centre)
    group.permissions.add(
        *Permission.objects.filter(
            content_type=centre_type, codename__in=["add_centre", "change_centre"]
        )
    )
    return group


def is_coordinator(user) -> bool:
    return user.is_superuser or user.groups.filter(name=COORDINATION_GROUP).exists()
