"""Admin wiring: "Proposer au portail national" on a centre's published items (page
actions, page listings, and right after publishing), the "Portail national" menu, the
dashboard panel with a centre's latest decisions, and the audit log's actions."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.models import Page

from centres.ownership import centres_of_user

from . import admin_urls, decisions
from .rules import can_moderate, can_propose, proposable_reason, section_of
from .views.centre import pending_count, proposals_of


@hooks.register("register_admin_urls")
def showcase_admin_urls():
    return [path("portail-national/", include(admin_urls))]


def _proposable(page, user) -> bool:
    page = page.specific_deferred
    return (
        section_of(page) is not None
        and page.live
        and can_propose(user, page)
        and proposable_reason(page) is None
    )


class ProposeMenuItem(ActionMenuItem):
    label = _("Proposer au portail national")
    name = "action-showcase-propose"
    icon_name = "pick"
    order = 60

    def is_shown(self, context):
        return context["view"] == "edit" and _proposable(context["page"], context["request"].user)

    def get_url(self, parent_context):
        return reverse("showcase_propose", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def propose_menu_item():
    return ProposeMenuItem()


@hooks.register("register_page_header_buttons")
@hooks.register("register_page_listing_more_buttons")
def propose_button(page, user, next_url=None, view_name=None, **kwargs):
    if _proposable(page, user):
        yield Button(
            _("Proposer au portail national"),
            reverse("showcase_propose", args=[page.pk]),
            icon_name="pick",
            priority=40,
        )


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def offer_after_publishing(request, page):
    """Right after publishing an item, offer to propose it (the publish message stays)."""
    if "action-publish" not in request.POST:
        return None
    page = Page.objects.filter(pk=page.pk).first()
    if page is not None and _proposable(page, request.user):
        messages.info(
            request,
            _("Publié : vous pouvez le proposer au portail national."),
            buttons=[
                messages.button(
                    reverse("showcase_propose", args=[page.pk]), _("Proposer au portail national")
                )
            ],
        )
    return None


class _ShownIf(MenuItem):
    def __init__(self, *args, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown

    def is_shown(self, request):
        return self.shown(request.user)


def _in_a_centre(user):
    return bool(centres_of_user(user))


@hooks.register("register_admin_menu_item")
def showcase_menu():
    items = [
        _ShownIf(
            _("Modération"),
            reverse("showcase_queue"),
            icon_name="tasks",
            order=10,
            shown=can_moderate,
        ),
        _ShownIf(
            _("Sélection directe"),
            reverse("showcase_select"),
            icon_name="pick",
            order=20,
            shown=can_moderate,
        ),
        _ShownIf(
            _("Propositions du centre"),
            reverse("showcase_mine"),
            icon_name="list-ul",
            order=30,
            shown=lambda user: _in_a_centre(user) and not can_moderate(user),
        ),
        _ShownIf(
            _("Chiffres de la vitrine"),
            reverse("showcase_figures"),
            icon_name="table",
            order=40,
            shown=can_moderate,
        ),
        _ShownIf(
            _("Circuit de validation"),
            reverse("showcase_workflow_index"),
            icon_name="tasks",
            order=50,
            shown=lambda user: _in_a_centre(user) or can_moderate(user),
        ),
    ]
    return SubmenuMenuItem(
        _("Portail national"), Menu(items=items), icon_name="site", name="showcase", order=160
    )


class ShowcasePanel(Component):
    """On the dashboard: a centre's latest decisions, or the coordination's queue."""

    name = "showcase"
    template_name = "showcase/admin/dashboard_panel.html"
    order = 90

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        moderator = can_moderate(self.user)
        return {
            "moderator": moderator,
            "pending": pending_count() if moderator else None,
            "decisions": [] if moderator else proposals_of(self.user),
        }


@hooks.register("construct_homepage_panels")
def showcase_panel(request, panels):
    if can_moderate(request.user) or _in_a_centre(request.user):
        panels.append(ShowcasePanel(request.user))


LOG_ACTIONS = [
    (decisions.PROPOSE, _("Proposé au portail national"), _("Proposé au portail national")),
    (
        decisions.SELECT,
        _("Sélectionné pour le portail national"),
        _("Sélectionné par la coordination pour le portail national"),
    ),
    (
        decisions.APPROVE,
        _("Accepté sur le portail national"),
        _("Proposition acceptée par la coordination"),
    ),
    (
        decisions.FEATURE,
        _("Mis à la une du portail national"),
        _("Mis à la une du portail national"),
    ),
    (decisions.DECLINE, _("Proposition refusée"), _("Proposition refusée par la coordination")),
    (decisions.WITHDRAW, _("Retiré du portail national"), _("Retiré du portail national")),
]


@hooks.register("register_log_actions")
def showcase_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("register_report_section")
def showcase_report_section(sites, year):
    """Items showcased on the national portal, in the yearly activity report (stats)."""
    from .figures import yearly_section

    return yearly_section(sites, year)
