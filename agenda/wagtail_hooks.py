"""Admin for the agenda: the managed list of formats, each editor's own events in one
listing, and "next session" to copy an event one week later within its series."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from .admin_views import copy_as_next_session
from .formats import EventFormat
from .models import EventPage


class EventFormatViewSet(SnippetViewSet):
    model = EventFormat
    icon = "tag"
    menu_label = _("Formats d’événement")
    add_to_settings_menu = True


register_snippet(EventFormatViewSet)


class EventFilterSet(PageFilterSet):
    """Wagtail's page filters, and the period: upcoming (not over yet) or past."""

    when = django_filters.ChoiceFilter(
        label=_("Période"),
        choices=[("a-venir", _("à venir")), ("passes", _("passés"))],
        empty_label=_("Tous"),
        method="filter_when",
    )

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "a-venir":
            return queryset.filter(ends_at__gte=now)
        if value == "passes":
            return queryset.filter(ends_at__lt=now)
        return queryset

    class Meta:
        model = EventPage
        fields = []


def event_dates(page) -> str:
    from .templatetags.agenda_tags import event_when

    event = page.specific_deferred if not isinstance(page, EventPage) else page
    return event_when(event) if isinstance(event, EventPage) else ""


class EventListingViewSet(PageListingViewSet):
    """Only pages the user may explore are listed (Wagtail filters by permission), so a
    centre's editors see their own events, each with its dates ("1er décembre 2026"),
    filtered by period (upcoming or past)."""

    model = EventPage
    icon = "date"
    menu_label = _("Événements")
    menu_order = 150
    add_to_admin_menu = True
    name = "events"
    filterset_class = EventFilterSet
    columns = [
        *PageListingViewSet.index_view_class.base_columns[:1],
        Column("starts_at", label=_("Dates"), accessor=event_dates, sort_key="starts_at"),
        *PageListingViewSet.index_view_class.base_columns[1:],
    ]


@hooks.register("register_admin_viewset")
def register_event_listing():
    return EventListingViewSet()


@hooks.register("register_admin_urls")
def agenda_admin_urls():
    return [
        path(
            "agenda/session-suivante/<int:page_id>/",
            copy_as_next_session,
            name="agenda_copy_next_session",
        )
    ]


@hooks.register("register_page_header_buttons")
@hooks.register("register_page_listing_more_buttons")
def next_session_button(page, user, next_url=None, view_name=None, **kwargs):
    if isinstance(page.specific_deferred, EventPage) and page.permissions_for_user(user).can_copy():
        yield Button(
            _("Copier pour la séance suivante"),
            reverse("agenda_copy_next_session", args=[page.pk]),
            icon_name="copy",
            priority=35,
        )
