"""Admin wiring: the Statistics menu and report, the dashboard panel, each page's own
figures from the page listing and editor, and the download and replay counters."""

from datetime import timedelta

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from . import admin_views
from .access import sees_network, visible_sites
from .downloads import record_download
from .replays import record_play
from .report import build


@hooks.register("register_admin_urls")
def stats_admin_urls():
    return [
        path("statistiques/", admin_views.report_view, name="stats_report"),
        path("statistiques/annuel/", admin_views.yearly_view, name="stats_yearly"),
        path("statistiques/import/", admin_views.import_view, name="stats_import"),
        path("statistiques/page/<int:page_id>/", admin_views.page_view, name="stats_page"),
        path(
            "statistiques/mes-visites/",
            admin_views.toggle_own_visits,
            name="stats_toggle_own_visits",
        ),
    ]


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(visible_sites(request.user))


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return StatisticsMenuItem(
        _("Statistiques"), reverse("stats_report"), icon_name="table", order=900
    )


class StatisticsPanel(Component):
    """The last 7 days against the 7 before, for the sites the user may see."""

    name = "stats"
    order = 150
    template_name = "stats/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        sites = visible_sites(self.user)
        today = timezone.localdate()
        week = build([s.pk for s in sites], today - timedelta(days=6), today, details=False)
        before = build(
            [s.pk for s in sites],
            today - timedelta(days=13),
            today - timedelta(days=7),
            details=False,
        )
        scope = (
            _("le réseau national")
            if sees_network(self.user) and len(sites) > 1
            else ", ".join(s.site_name or s.hostname for s in sites)
        )
        return {"week": week.totals, "before": before.totals, "scope": scope}


@hooks.register("construct_homepage_panels")
def statistics_panel(request, panels):
    if visible_sites(request.user):
        panels.append(StatisticsPanel(request.user))


def visible_page(page, user) -> bool:
    return page.live and any(
        page.path.startswith(site.root_page.path) for site in visible_sites(user)
    )


@hooks.register("register_page_header_buttons")
@hooks.register("register_page_listing_more_buttons")
def page_statistics_button(page, user, next_url=None, view_name=None, **kwargs):
    if page.depth > 1 and visible_page(page, user):
        yield Button(
            _("Statistiques"), reverse("stats_page", args=[page.pk]), icon_name="table", priority=45
        )


@hooks.register("before_serve_document", order=100)
def count_download(document, request):
    """After Wagtail's own checks (view restrictions run at order 0)."""
    record_download(document, request)


@hooks.register("before_serve_replay")
def count_replay_play(page, request):
    """An event page's redirect to its replay (agenda.replay): one play."""
    record_play(page, request)
