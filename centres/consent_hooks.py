"""Admin wiring of co-organisations (imported by `centres.wagtail_hooks`): the view, its
menu item and the dashboard panel with the invitations waiting for the user's centres."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import consent_views
from .ownership import centres_of_user
from .permissions import is_coordinator


@hooks.register("register_admin_urls")
def co_organisation_urls():
    return [
        path("co-organisations/", consent_views.co_organisations, name="co_organisations"),
        path(
            "co-organisations/<int:pk>/accepter/",
            consent_views.decide_view,
            {"action": "accept"},
            name="co_organisation_accept",
        ),
        path(
            "co-organisations/<int:pk>/refuser/",
            consent_views.decide_view,
            {"action": "decline"},
            name="co_organisation_decline",
        ),
    ]


def _concerned(user) -> bool:
    return bool(centres_of_user(user)) or is_coordinator(user)


class CoOrganisationMenuItem(MenuItem):
    def is_shown(self, request):
        return _concerned(request.user)


@hooks.register("register_admin_menu_item")
def co_organisation_menu_item():
    return CoOrganisationMenuItem(
        _("Co-organisations"),
        reverse("co_organisations"),
        icon_name="group",
        name="co-organisations",
        order=170,
    )


class CoOrganisationPanel(Component):
    name = "co-organisations"
    template_name = "centres/admin/co_organisation_panel.html"
    order = 80

    def __init__(self, pending):
        self.pending = pending

    def get_context_data(self, parent_context):
        return {"pending": self.pending}


@hooks.register("construct_homepage_panels")
def co_organisation_panel(request, panels):
    pending = consent_views.pending_for(request.user)
    if pending:
        panels.append(CoOrganisationPanel(pending))
