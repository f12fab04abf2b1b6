"""Admin for the library: managed lists (resource kinds, partners) and the working
groups' shared spaces."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from centres.permissions import is_coordinator

from .models import Partner, ResourceKind, WorkingGroupPage


class ResourceKindViewSet(SnippetViewSet):
    model = ResourceKind
    icon = "tag"
    menu_label = _("Natures de ressource")
    add_to_settings_menu = True


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("Partenaires")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "kind", "url"]
    list_filter = ["kind"]
    search_fields = ["name"]


register_snippet(ResourceKindViewSet)
register_snippet(PartnerViewSet)


@hooks.register("before_edit_page")
@hooks.register("before_delete_page")
def groups_edit_their_work_not_their_page(request, page):
    """Members of a working group publish under its page; the group's own page (its
    pilots, members, yearly activity) stays the coordination's to keep."""
    if isinstance(page.specific_deferred, WorkingGroupPage) and not is_coordinator(request.user):
        raise PermissionDenied
