"""The agenda's section on a centre's home and on theme pages: the next events of the
site (its own and those it co-organises; the network's on the portal), optionally on
one theme (centres.sections)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centres import sections


def next_events(scope, count):
    from .listing import events_in_scope
    from .models import AgendaPage, EventTag
    from .views import card_related

    events = events_in_scope(scope).filter(ends_at__gte=timezone.now())
    if scope.theme is not None:
        events = events.filter(
            pk__in=EventTag.objects.filter(tag=scope.theme).values("content_object")
        )
    listed = list(card_related(events.order_by("starts_at", "pk"))[:count])
    if not listed:
        return None
    agenda = AgendaPage.objects.child_of(scope.home_page).live().first()
    url = agenda.get_url(scope.request) if agenda is not None else ""
    if url and scope.theme is not None:
        url += f"?theme={scope.theme.slug}"
    return {"events": listed, "more_url": url}


def register_sections():
    sections.register(
        sections.SectionKind(
            name="events",
            label=_("Prochains événements"),
            template="agenda/sections/next_events.html",
            items=next_events,
            order=10,
            places=frozenset({sections.HOME, sections.THEME}),
        )
    )
