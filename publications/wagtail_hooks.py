"""Admin for the library: managed lists (resource kinds, partners)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Partner, ResourceKind


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

# The working groups' pages themselves stay the coordination's: see
# WorkingGroupPage.permissions_for_user (every admin action asks it, not only editing).
