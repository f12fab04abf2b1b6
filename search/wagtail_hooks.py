"""Admin: promoted results per site (Recherche › Résultats mis en avant) and what
people search for (Recherche › Recherches des visiteurs)."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import search_terms
from .models import SearchPromotion, Synonym
from .permissions import CoordinationPermissionPolicy, SitePermissionPolicy, sites_for


# UPGRADE CHECKPOINT wagtail==8.0.1: the snippet `EditView` and `DeleteView` fetch their object through `get_object(queryset)` (tests/test_search_admin.py::test_edit_and_delete_a_promotion)
class OwnSitesOnly:
    """Wagtail checks model-wide permissions on edit and delete: the record's site is
    checked here, so that a centre's editor cannot open another site's pin by its id."""

    def get_object(self, queryset=None):
        pin = super().get_object(queryset)
        if not sites_for(self.request.user).filter(pk=pin.site_id).exists():
            raise PermissionDenied
        return pin


class PromotionEditView(OwnSitesOnly, snippet_views.EditView):
    pass


class PromotionDeleteView(OwnSitesOnly, snippet_views.DeleteView):
    pass


class OwnSitesObjects:
    """History and usage name the pin (its query and page): another site's is not found."""

    def get_base_object_queryset(self):
        return SearchPromotion.objects.filter(site__in=sites_for(self.request.user))


class PromotionHistoryView(OwnSitesObjects, snippet_views.HistoryView):
    pass


class PromotionUsageView(OwnSitesObjects, snippet_views.UsageView):
    pass


class OwnSitesChoices:
    """The snippet chooser lists and returns every record by default."""

    def get_object_list(self):
        return SearchPromotion.objects.filter(site__in=sites_for(self.request.user))

    def get_object(self, pk):
        return self.get_object_list().get(pk=pk)

    def get_objects(self, pks):
        return self.get_object_list().filter(pk__in=pks)


class PromotionChooseView(OwnSitesChoices, snippet_chooser.ChooseView):
    pass


class PromotionChooseResultsView(OwnSitesChoices, snippet_chooser.ChooseResultsView):
    pass


class PromotionChosenView(OwnSitesChoices, snippet_chooser.SnippetChosenView):
    pass


class PromotionChosenMultipleView(OwnSitesChoices, snippet_chooser.SnippetChosenMultipleView):
    pass


class PromotionChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = PromotionChooseView
    choose_results_view_class = PromotionChooseResultsView
    chosen_view_class = PromotionChosenView
    chosen_multiple_view_class = PromotionChosenMultipleView


class SearchPromotionViewSet(SnippetViewSet):
    model = SearchPromotion
    icon = "pick"
    menu_label = _("Résultats mis en avant")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["query", "page", "site", "sort_order"]
    list_filter = ["site"]
    edit_view_class = PromotionEditView
    delete_view_class = PromotionDeleteView
    history_view_class = PromotionHistoryView
    usage_view_class = PromotionUsageView
    chooser_viewset_class = PromotionChooserViewSet

    def get_queryset(self, request):
        return SearchPromotion.objects.filter(site__in=sites_for(request.user))


register_permission_policy(SearchPromotion, SitePermissionPolicy(SearchPromotion))
register_snippet(SearchPromotionViewSet)


@hooks.register("register_admin_urls")
def search_admin_urls():
    return [path("recherches/", search_terms, name="search_terms")]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return sites_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def search_terms_menu_item():
    return SearchTermsMenuItem(
        _("Recherches des visiteurs"), reverse("search_terms"), icon_name="search", order=261
    )


class SynonymViewSet(SnippetViewSet):
    """The field's vocabulary: the coordination's alone (network-level admins)."""

    model = Synonym
    icon = "list-ul"
    menu_label = _("Synonymes et sigles")
    menu_order = 262
    add_to_admin_menu = True
    list_display = ["__str__", "note"]
    search_fields = ["expressions", "note"]


register_permission_policy(Synonym, CoordinationPermissionPolicy(Synonym))
register_snippet(SynonymViewSet)
