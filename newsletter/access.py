"""Who may work on which site's newsletter: a centre's editors their centre's site, the
national coordination the national portal's (the network's letter), a superuser every
site. Subscribers are personal data: nobody else sees them, the coordination included
(it sees every site's figures, which name nobody)."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.models import Site
from wagtail.permission_policies.base import BasePermissionPolicy

from centres.ownership import centres_of_user
from centres.permissions import COORDINATION_GROUP, is_coordinator


def sites_for(user):
    """The sites whose lists, letters and subscribers the user manages."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    home_ids = [c.home_page_id for c in centres_of_user(user) if c.home_page_id]
    sites = Q(root_page_id__in=home_ids)
    if is_coordinator(user):
        sites |= Q(is_default_site=True)
    return Site.objects.filter(sites)


def figures_sites_for(user):
    """The sites whose figures the user reads: the coordination every site."""
    if user is not None and user.is_authenticated and is_coordinator(user):
        return Site.objects.all()
    return sites_for(user)


# UPGRADE CHECKPOINT wagtail==8.0.1: `BasePermissionPolicy` (documented as internal) for the newsletter's per-site records (tests/test_permissions_newsletter.py::test_matrix)
class SitePolicy(BasePermissionPolicy):
    """Every action on a per-site record is allowed on the user's sites; `site_path`
    names the record's site (e.g. `mailing_list__site`)."""

    def __init__(self, model, site_path="site"):
        super().__init__(model)
        self.site_path = site_path

    def _site_id(self, instance):
        target = instance
        for part in self.site_path.split("__"):
            target = getattr(target, part)
        return target.pk

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
        return sites_for(user).filter(pk=self._site_id(instance)).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission_for_instance(user, None, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.model.objects.filter(**{f"{self.site_path}__in": sites_for(user)})

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)
