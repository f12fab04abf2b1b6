"""Who may pin results and read the search figures, for which sites: the coordination
for every site, a centre's editors for their centre's site only."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.models import Site
from wagtail.permission_policies.base import BasePermissionPolicy

from centres.ownership import centres_of_user
from centres.permissions import COORDINATION_GROUP, is_coordinator


def sites_for(user):
    if user is None or not user.is_active or not user.is_authenticated:
        return Site.objects.none()
    if is_coordinator(user):
        return Site.objects.all()
    return Site.objects.filter(root_page_id__in=[c.home_page_id for c in centres_of_user(user)])


# UPGRADE CHECKPOINT wagtail==8.0.1: `BasePermissionPolicy` (documented as internal) for the search promotions (tests/test_search_admin.py::test_edit_and_delete_a_promotion)
class SitePermissionPolicy(BasePermissionPolicy):
    """Every action on a per-site record (add, change, delete) is allowed on the sites
    the user works for; the record's `site` decides."""

    def user_has_permission(self, user, action):
        return sites_for(user).exists()

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__name=COORDINATION_GROUP)
                | Q(groups__edited_centre__isnull=False)
            )
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return sites_for(user).filter(pk=instance.site_id).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, None, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.model.objects.filter(site__in=sites_for(user))

    def users_with_any_permission_for_instance(self, actions, instance):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__name=COORDINATION_GROUP)
                | Q(groups__edited_centre__home_page_id=instance.site.root_page_id)
            )
            .distinct()
        )


# UPGRADE CHECKPOINT wagtail==8.0.1: `BasePermissionPolicy` (documented as internal) for the synonyms (tests/test_search_admin.py::test_synonyms_are_the_coordinations)
class CoordinationPermissionPolicy(BasePermissionPolicy):
    """A network-wide record (the synonyms): the coordination (and superusers) only."""

    def user_has_permission(self, user, action):
        return bool(user and user.is_active and user.is_authenticated and is_coordinator(user))

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name=COORDINATION_GROUP))
            .distinct()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission(user, None)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_permission(user, None):
            return self.model.objects.all()
        return self.model.objects.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)
