"""Admin wiring of a working group's member's own space (imported by
`centres.wagtail_hooks`; the rules are in `centres.spaces`): the sidebar's page
explorer opens at the group's page, the dashboard counts the pages the user works on,
and multiple uploads default to the group's collection."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import PagesSummaryItem, SummaryItem
from wagtail.admin.ui.sidebar import PageExplorerMenuItem
from wagtail.documents.views.multiple import AddView as DocumentsAddView
from wagtail.images.views.multiple import AddView as ImagesAddView

from .spaces import group_collection, group_space, own_pages


class SpaceExplorerMenuItem(MenuItem):
    """Wagtail's "Pages", opened at the group's page rather than at the tree's Root."""

    def __init__(self, space, original):
        super().__init__(
            original.label,
            reverse("wagtailadmin_explore", args=[space.pk]),
            name=original.name,
            icon_name=original.icon_name,
            order=original.order,
        )
        self.space = space

    def render_component(self, request):
        # UPGRADE CHECKPOINT wagtail==8.0.1: `wagtail.admin.ui.sidebar.PageExplorerMenuItem(name, label, url, start_page_id)`, the sidebar's explorer item (tests/test_group_editors.py::test_a_group_member_lands_on_the_group_pages)
        return PageExplorerMenuItem(
            self.name, self.label, self.url, self.space.pk, icon_name=self.icon_name
        )


@hooks.register("construct_main_menu")
def explorer_at_the_group_space(request, menu_items):
    space = group_space(request.user)
    if space is None:
        return
    for index, item in enumerate(menu_items):
        if item.name == "explorer":
            menu_items[index] = SpaceExplorerMenuItem(space, item)


class OwnPagesSummaryItem(SummaryItem):
    order = 100
    template_name = "centres/admin/own_pages_summary.html"

    def __init__(self, request, space):
        super().__init__(request)
        self.space = space

    def get_context_data(self, parent_context):
        return {"space": self.space, "total_pages": own_pages(self.request.user).count()}


# After Wagtail's own hook, which adds the item replaced here.
@hooks.register("construct_homepage_summary_items", order=100)
def count_own_pages(request, summary_items):
    space = group_space(request.user)
    if space is None:
        return
    summary_items[:] = [
        OwnPagesSummaryItem(request, space) if isinstance(item, PagesSummaryItem) else item
        for item in summary_items
    ]


def _defaulting_to_group_collection(wagtail_view):
    def view(request, *args, **kwargs):
        if "collection_id" not in request.GET:
            collection = group_collection(request.user)
            if collection is not None:
                request.GET = request.GET.copy()
                request.GET["collection_id"] = str(collection.pk)
        return wagtail_view(request, *args, **kwargs)

    return view


@hooks.register("register_admin_urls", order=-10)
def upload_urls():
    # UPGRADE CHECKPOINT wagtail==8.0.1: these paths come before wagtailimages' and wagtaildocs' own `multiple/add/` (hooks ordered by `order`), whose views read `collection_id` as the selected collection (tests/test_group_editors.py::test_uploads_default_to_the_group_collection)
    return [
        path(
            "images/multiple/add/",
            _defaulting_to_group_collection(ImagesAddView.as_view()),
            name="space_add_images",
        ),
        path(
            "documents/multiple/add/",
            _defaulting_to_group_collection(DocumentsAddView.as_view()),
            name="space_add_documents",
        ),
    ]
