"""Admin views that list items by id or for the whole install, narrowed to what the user
may see (centres.reads): the admin API's documents and images, every bulk action's
confirmation and execution, the workflow reports' filters."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_list_or_404

from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.pages import bulk_actions as page_actions
from wagtail.admin.views.reports import workflows as workflow_reports
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.bulk_actions import (
    add_tags as document_tags,
)
from wagtail.documents.views.bulk_actions import (
    add_to_collection as document_collection,
)
from wagtail.documents.views.bulk_actions import (
    delete as document_delete,
)
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.bulk_actions import add_tags as image_tags
from wagtail.images.views.bulk_actions import add_to_collection as image_collection
from wagtail.images.views.bulk_actions import delete as image_delete
from wagtail.models import Task, TaskState, Workflow, WorkflowState, get_default_page_content_type
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDelete

from .reads import visible_instances


class VisibleDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """/admin/api/main/documents/ lists every document of the install by default, with its
    download address."""

    def get_queryset(self):
        return visible_instances(self.model, self.request.user).order_by("id")


class VisibleImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return visible_instances(self.model, self.request.user).order_by("id")


class VisibleItemsOnly:
    """A bulk action's confirmation names every id asked for, including items the user may
    not act on ("you don't have permission to…" with their titles), and ids are easy to
    enumerate. Items the user may not see are left out as if they did not exist, from the
    confirmation and from the action itself; asked for nothing visible, it is a 404."""

    # UPGRADE CHECKPOINT wagtail==8.0.1: BulkAction.get_queryset overridden per instance (tests/test_admin_reads.py::test_a_bulk_confirmation_names_only_what_the_user_may_see)
    # BulkAction.get_queryset is a classmethod, called as self.get_queryset(model, ids)
    # by get_actionable_objects only; an instance method
    # here sees the request. Covered by tests/test_admin_reads.py::test_matrix (bulk_*).
    def get_queryset(self, model, object_ids):
        try:  # ids come from the query string: one that is no id is a 404, not a 500
            ids = [model._meta.pk.to_python(value) for value in object_ids]
        except ValidationError as error:
            raise Http404 from error
        return get_list_or_404(visible_instances(model, self.request.user), pk__in=ids)


WAGTAIL_BULK_ACTIONS = [
    page_actions.delete.DeleteBulkAction,
    page_actions.move.MoveBulkAction,
    page_actions.publish.PublishBulkAction,
    page_actions.unpublish.UnpublishBulkAction,
    document_tags.AddTagsBulkAction,
    document_collection.AddToCollectionBulkAction,
    document_delete.DeleteBulkAction,
    image_tags.AddTagsBulkAction,
    image_collection.AddToCollectionBulkAction,
    image_delete.DeleteBulkAction,
    SnippetDelete,
]


def visible_items_only(action_class) -> type[BulkAction]:
    return type(
        action_class.__name__,
        (VisibleItemsOnly, action_class),
        {"__module__": __name__, "__qualname__": action_class.__qualname__},
    )


BULK_ACTIONS = [visible_items_only(action_class) for action_class in WAGTAIL_BULK_ACTIONS]


def visible_workflow_states(request):
    """The workflow states the workflows report lists to the user (its own query)."""
    pages = Q(
        base_content_type_id=get_default_page_content_type().id,
        object_id__in=workflow_reports.get_editable_page_ids_query(request),
    )
    objects = Q(content_type_id__in=workflow_reports.get_editable_content_type_ids(request))
    return WorkflowState.objects.filter(pages | objects)


def narrow_filter(filterset, name, queryset):
    if name in filterset.filters:
        filterset.filters[name].queryset = queryset


class VisibleWorkflowReportFilterSet(workflow_reports.WorkflowReportFilterSet):
    """The workflows report lists the user's pages only, but its filters offered every
    workflow of the install and everyone who ever submitted a page: other centres' review
    workflows and editors. Choices come from the states the user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = visible_workflow_states(self.request)
        narrow_filter(self, "workflow", Workflow.objects.filter(pk__in=states.values("workflow")))
        narrow_filter(
            self,
            "requested_by",
            get_user_model().objects.filter(pk__in=states.values("requested_by")),
        )


class VisibleWorkflowTasksReportFilterSet(workflow_reports.WorkflowTasksReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = TaskState.objects.filter(workflow_state__in=visible_workflow_states(self.request))
        narrow_filter(
            self,
            "workflow",
            Workflow.objects.filter(pk__in=states.values("workflow_state__workflow")),
        )
        narrow_filter(self, "task", Task.objects.filter(pk__in=states.values("task")))


def narrow_workflow_reports():
    # UPGRADE CHECKPOINT wagtail==8.0.1: workflow report filter sets replaced on Wagtail's views (tests/test_admin_isolation.py::test_workflow_reports_filters_offer_no_other_centres_workflow)
    # Wagtail's report views are mounted by its own
    # URLs and offer no hook for their filters' choices: the filter sets are replaced on
    # the view classes, and visible_workflow_states repeats the views' own query (with
    # their module's helpers). Covered by
    # tests/test_admin_isolation.py::test_workflow_reports_filters_offer_no_other_centres_workflow
    workflow_reports.WorkflowView.filterset_class = VisibleWorkflowReportFilterSet
    workflow_reports.WorkflowTasksView.filterset_class = VisibleWorkflowTasksReportFilterSet
