"""Admin for the agendas' iCalendar feeds ("Flux iCalendar" under Paramètres). Rights
follow the page tree: whoever may add events to an agenda may set that agenda's feed, so
a centre's editors manage their own centre's feed and see no other."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import history as generic_history
from wagtail.admin.views.generic import models as generic
from wagtail.admin.views.generic import usage as generic_usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from agenda.models import AgendaPage

from .models import AgendaFeed


def agendas_for(user):
    if not (user.is_active and user.is_authenticated):
        return AgendaPage.objects.none()
    if user.is_superuser:
        return AgendaPage.objects.all()
    allowed = [
        agenda.pk
        for agenda in AgendaPage.objects.all()
        if agenda.permissions_for_user(user).can_add_subpage()
    ]
    return AgendaPage.objects.filter(pk__in=allowed)


# UPGRADE CHECKPOINT wagtail==8.0.1: `BasePermissionPolicy` (documented as internal) for the agendas' feeds (tests/test_interop_feeds_admin.py::test_matrix)
class AgendaFeedPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return agendas_for(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return agendas_for(user).filter(pk=instance.agenda_id).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        return AgendaFeed.objects.filter(agenda__in=agendas_for(user))

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_superuser=True, is_active=True)


class AgendaFeedForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "agenda" in self.fields and self.for_user is not None:
            self.fields["agenda"].queryset = agendas_for(self.for_user).order_by("path")
            self.fields["agenda"].label_from_instance = lambda agenda: (
                f"{agenda.get_site().site_name if agenda.get_site() else ''} · {agenda.title}"
            )


# UPGRADE CHECKPOINT wagtail==8.0.1: the generic model views list through `get_base_queryset()` and fetch through `get_object(queryset)` (tests/test_interop_feeds_admin.py::test_matrix)
class OwnFeeds:
    """Only the feeds of the user's agendas are listed, opened or deleted."""

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        ).select_related("agenda")

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.permission_policy.instances_user_has_any_permission_for(
                self.request.user, ["change"]
            ),
            pk=self.kwargs["pk"],
        )


class IndexView(OwnFeeds, generic.IndexView):
    def get_object(self, queryset=None):  # the listing has no single object
        raise NotImplementedError


class EditView(OwnFeeds, generic.EditView):
    pass


class DeleteView(OwnFeeds, generic.DeleteView):
    pass


class OwnFeedObjects:
    """History and usage name the feed (its agenda and address): another's is not found."""

    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change"]
        )


class HistoryView(OwnFeedObjects, generic_history.HistoryView):
    pass


class UsageView(OwnFeedObjects, generic_usage.UsageView):
    pass


class AgendaFeedViewSet(ModelViewSet):
    model = AgendaFeed
    icon = "calendar"
    menu_label = _("Flux iCalendar")
    add_to_settings_menu = True
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    history_view_class = HistoryView
    usage_view_class = UsageView
    list_display = ["agenda", "url", "enabled", "last_run_at"]
    edit_handler = ObjectList(
        [FieldPanel("agenda"), FieldPanel("url"), FieldPanel("enabled")],
        base_form_class=AgendaFeedForm,
    )
    inspect_view_enabled = False
    copy_view_enabled = False
