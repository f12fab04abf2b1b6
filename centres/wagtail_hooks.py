"""Admin wiring: the centre registry as a snippet, and choosers that show a centre's
editors nothing of another centre."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Centre
from .ownership import centres_of_user
from .permissions import is_coordinator


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


@hooks.register("construct_page_chooser_queryset")
def hide_other_centres_pages(pages, request):
    """The page chooser lists every page by default; a centre's editors see their own
    centre and the national site, never another centre's tree."""
    user = request.user
    if is_coordinator(user):
        return pages
    for path in other_centres_home_paths(user):
        pages = pages.exclude(path__startswith=path)
    return pages
