"""Admin wiring: the centre registry as a snippet, and choosers and reports that show
a centre's editors nothing of another centre."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import GroupPagePermission, Page, Site
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import consent_hooks, space_hooks  # noqa: F401  (their hooks register on import)
from .admin_reads import (
    BULK_ACTIONS,
    VisibleDocumentsAPIViewSet,
    VisibleImagesAPIViewSet,
    narrow_workflow_reports,
)
from .models import Centre
from .ownership import centres_of_user
from .permissions import is_coordinator
from .reads import may_download


class CentreViewSet(SnippetViewSet):
    model = Centre
    icon = "group"
    menu_label = _("Centres")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "territory", "overseas", "time_zone"]
    list_filter = ["overseas"]
    search_fields = ["name", "long_name", "territory"]


register_snippet(CentreViewSet)


def other_centres_home_paths(user) -> list[str]:
    own = {centre.pk for centre in centres_of_user(user)}
    return list(
        Centre.objects.exclude(pk__in=own)
        .exclude(home_page__isnull=True)
        .values_list("home_page__path", flat=True)
    )


def chooser_visible_pages(pages, user):
    """What the page chooser may list to `user`. Another centre's tree: never, unless the
    user coordinates the network. Drafts: only under the pages where the user holds page
    permissions, since a draft is the work in progress of the people who may edit it
    (and a link to it would be dead on the public site). Filters are path prefixes and
    `live` so that any search backend can apply them."""
    if user.is_superuser:
        return pages
    if not is_coordinator(user):
        for path in other_centres_home_paths(user):
            pages = pages.exclude(path__startswith=path)
    drafts_seen = Q(live=True)
    for path in set(
        GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True)
    ):
        drafts_seen |= Q(path__startswith=path)
    return pages.filter(drafts_seen)


@hooks.register("construct_page_chooser_queryset")
def hide_other_centres_pages(pages, request):
    """The page chooser lists every page by default; a centre's editors see their own
    centre and the national site, never another centre's tree. Browsing *into* a
    hidden page (its id typed in the chooser's URL) would still show its title as the
    listing's header, so that is refused outright."""
    parent_id = getattr(request.resolver_match, "kwargs", {}).get("parent_page_id")
    if (
        parent_id
        and not chooser_visible_pages(Page.objects.filter(pk=parent_id), request.user).exists()
    ):
        raise PermissionDenied
    return chooser_visible_pages(pages, request.user)


# The "Page types usage" report names, for each page type, the page edited last anywhere
# on the install, drafts of every centre included, and Wagtail offers no hook to filter
# it. It is a network-wide view: superusers only, for the menu item and for the URL.
_page_types_usage_dispatch = PageTypesUsageReportView.dispatch


def _page_types_usage_for_superusers(view, request, *args, **kwargs):
    if not request.user.is_superuser:
        raise PermissionDenied
    return _page_types_usage_dispatch(view, request, *args, **kwargs)


# UPGRADE CHECKPOINT wagtail==8.0.1: `PageTypesUsageReportView.dispatch` replaced (the report's view class and module) (tests/test_admin_isolation.py::test_the_network_wide_page_types_report_is_for_superusers)
PageTypesUsageReportView.dispatch = _page_types_usage_for_superusers


@hooks.register("construct_reports_menu")
def hide_network_wide_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


@hooks.register("before_delete_page")
def keep_site_roots(request, page):
    """A site's home page roots everything a centre (or the network) owns: deleting it
    would take the whole site down. Only a superuser may, e.g. to retire a centre."""
    if not request.user.is_superuser and Site.objects.filter(root_page_id=page.pk).exists():
        raise PermissionDenied


@hooks.register("after_create_snippet")
def provision_new_centre(request, instance):
    """A centre added in the admin gets its site, collection and editors group at once."""
    if isinstance(instance, Centre):
        from .provisioning import provision_centre

        provision_centre(instance)


# --- reads (centres.reads, docs/permissions.md) -----------------------------------------


@hooks.register("construct_admin_api", order=100)
def visible_documents_and_images_in_admin_api(router):
    """After Wagtail's own registrations (order 0): the same endpoints, narrowed."""
    router.register_endpoint("documents", VisibleDocumentsAPIViewSet)
    router.register_endpoint("images", VisibleImagesAPIViewSet)


# UPGRADE CHECKPOINT wagtail==8.0.1: the bulk action registry keeps the last class registered (tests/test_admin_reads.py::test_a_bulk_confirmation_names_only_what_the_user_may_see)
# The bulk action registry keeps the last class
# registered per (model, action type); ours, at order 100, replace Wagtail's (order 0).
# Covered by tests/test_admin_reads.py::test_matrix (bulk_*).
for _action_class in BULK_ACTIONS:
    hooks.register("register_bulk_action", _action_class, order=100)

narrow_workflow_reports()


@hooks.register("before_serve_document", order=50)
def keep_unused_documents_private(document, request):
    """After Wagtail's collection restrictions (order 0), before the download is counted
    (stats, order 100): a document no published page uses yet is not found for anyone
    but those who may work on its collection."""
    if not may_download(document, request.user):
        raise Http404(_("Document introuvable."))
