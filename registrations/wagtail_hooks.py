"""Admin wiring: the Inscriptions menu (openings, registrants, check-in, exports,
message to all) and its figures, for the users who may edit an event."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .access import editable_pages, figures_openings_for


@hooks.register("register_admin_urls")
def registrations_admin_urls():
    return [
        path("inscriptions/", admin_views.index_view, name="registrations_index"),
        path("inscriptions/ouvrir/", admin_views.opening_form_view, name="registrations_open"),
        path("inscriptions/chiffres/", admin_views.figures_view, name="registrations_figures"),
        path(
            "inscriptions/<int:opening_id>/",
            admin_views.registrants_view,
            name="registrations_registrants",
        ),
        path(
            "inscriptions/<int:opening_id>/modifier/",
            admin_views.opening_form_view,
            name="registrations_edit",
        ),
        path(
            "inscriptions/<int:opening_id>/export.<str:fmt>",
            admin_views.export_view,
            name="registrations_export",
        ),
        path(
            "inscriptions/<int:opening_id>/message/",
            admin_views.message_view,
            name="registrations_message",
        ),
    ]


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or editable_pages(user).exists()


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or figures_openings_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def registrations_menu_item():
    return RegistrationsMenuItem(
        _("Inscriptions"), reverse("registrations_index"), icon_name="form", order=880
    )


@hooks.register("register_admin_menu_item")
def registrations_figures_menu_item():
    # Beside "Statistiques" (900) and "Lettres : chiffres" (901).
    return FiguresMenuItem(
        _("Inscriptions : chiffres"),
        reverse("registrations_figures"),
        icon_name="table",
        order=902,
    )


@hooks.register("register_page_listing_buttons")
@hooks.register("register_page_header_buttons")
def registrants_button(page, user, next_url=None, view_name=None, **kwargs):
    """In the admin's page listings (Événements included) and an event's header: its
    registrations' counts, linking to the registrants. Only pages with an opening cost
    a query (`booking.opening_paths` is cached)."""
    from wagtail.admin.widgets import Button

    from agenda.models import EventSeriesPage

    from .booking import opening_for
    from .figures import event_counts, opening_counts

    opening = opening_for(page)
    if opening is None or not page.permissions_for_user(user).can_edit():
        return
    cycle = opening.page_id == page.pk and issubclass(page.specific_class, EventSeriesPage)
    if opening.page_id == page.pk:
        # The event's own opening, or the cycle's row (its sessions' seats summed).
        confirmed, waiting, _present = opening_counts([opening.pk])[opening.pk]
    else:
        # A session of a cycle: its own seats, as the capacity is per session.
        confirmed, waiting, _present = event_counts([page.pk])[page.pk]
    label = _("Inscrits : %(confirmed)s") % {"confirmed": confirmed}
    if opening.capacity and not cycle:  # no per-session capacity beside a cycle's sum
        label += f" / {opening.capacity}"
    if waiting:
        label += " · " + _("%(waiting)s en attente") % {"waiting": waiting}
    yield Button(
        label,
        reverse("registrations_registrants", args=[opening.pk]),
        icon_name="form",
        priority=30,
    )


@hooks.register("event_registers_on_portal")
def event_registers_on_portal(page):
    """The event page offers the portal's form, not its outside link (agenda.models):
    its own opening or its cycle's, from the cached paths (no query)."""
    from .booking import opening_paths

    return bool(opening_paths().intersection([page.path, page.path[: -page.steplen]]))


@hooks.register("event_participants_from_check_in")
def event_participants_from_check_in(paths, request=None):
    """The public participant count of the events checked in on the portal (agenda.models:
    read when a page, the API or the yearly report shows it, never written on the page)."""
    from .booking import present_counts

    return present_counts(paths, request)


@hooks.register("register_report_section")
def registrations_report_section(sites, year):
    """The registrations' section of the yearly activity report (stats, docs/statistics.md)."""
    from .figures import yearly_section

    return yearly_section(sites, year)
