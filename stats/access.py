"""Whose statistics a user may read: a centre's editors their own site, the national
coordination (and superusers) every site and the network."""

from wagtail.models import Site

from centres.ownership import centres_of_user
from centres.permissions import is_coordinator


def sees_network(user) -> bool:
    return bool(user and user.is_authenticated and is_coordinator(user))


def visible_sites(user) -> list[Site]:
    """Memoised on the user object: the page listing asks once per row."""
    if not user or not user.is_authenticated:
        return []
    if not hasattr(user, "_stats_visible_sites"):
        user._stats_visible_sites = _visible_sites(user)
    return user._stats_visible_sites


def _visible_sites(user) -> list[Site]:
    sites = Site.objects.select_related("root_page").order_by(
        "-is_default_site", "site_name", "hostname"
    )
    if sees_network(user):
        return list(sites)
    home_ids = [centre.home_page_id for centre in centres_of_user(user) if centre.home_page_id]
    return list(sites.filter(root_page_id__in=home_ids))


def site_of_page(page) -> Site | None:
    for site in Site.objects.select_related("root_page"):
        if page.path.startswith(site.root_page.path):
            return site
    return None
