"""Sections of a site's living pages: a centre's home and the theme pages.

`centres` builds on nothing above it, yet a centre's home shows its next events
(agenda), its latest resources and news (publications), its newsletter form
(newsletter) and, later, its offers. Each app registers the sections it provides
from its `AppConfig.ready()`:

    from centres import sections

    sections.register(sections.SectionKind(
        name="events", label=_("Prochains événements"), order=20,
        template="agenda/includes/home_events.html", items=next_events,
    ))

`items(scope, count)` returns what the template lists (a bounded number of queries,
whatever the content: prefetch, never a query per item); the template receives
`section`, `items`, `scope`, `heading` and `request`. A section renders only when it
has something to show (`items` truthy) unless `always` is set.

A centre's editors order and hide the sections of their home (`CentreHomePage.sections`,
a StreamField of `SectionBlock`); an empty field shows every registered home section in
its default order. Each rendered section is cached per site, page, language, content
version and five-minute slice (upcoming events drift with time), so a warm home costs
the same few queries whatever the content."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from hashlib import sha1
from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import get_language

HOME = "home"
THEME = "theme"
TIME_SLICE = 300


@dataclass(frozen=True)
class SectionKind:
    name: str
    label: Any  # a lazy translated string
    template: str
    items: Callable[["Scope", int], Any]
    order: int = 100
    # Where the section may appear: a centre's home, a theme page, or both.
    places: frozenset = frozenset({HOME})
    default_count: int = 4
    # Shown even when `items` is empty (a form: the newsletter).
    always: bool = False


@dataclass
class Scope:
    """What a section lists for: a site (its centre, None on the national portal), the
    page showing it and, on a theme page, the theme (a taggit Tag). The centre is read
    only when a section is rendered (`load_centre`), never for a cached one."""

    site: Any
    page: Any
    request: Any = None
    theme: Any = None
    extra: dict = field(default_factory=dict)
    load_centre: Callable[[], Any] | None = None

    @cached_property
    def centre(self):
        return self.load_centre() if self.load_centre is not None else None

    @property
    def home_page(self):
        return self.centre.home_page if self.centre is not None else self.site.root_page


_REGISTRY: dict[str, SectionKind] = {}


def register(kind: SectionKind) -> SectionKind:
    _REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def kinds(place: str = HOME) -> list[SectionKind]:
    return sorted(
        (kind for kind in _REGISTRY.values() if place in kind.places),
        key=lambda kind: (kind.order, kind.name),
    )


def get(name: str) -> SectionKind | None:
    return _REGISTRY.get(name)


def home_choices():
    """The choices of `SectionBlock.kind` (a callable: read when the admin form is
    built, so a section registered by an app loaded later is offered too)."""
    return [(kind.name, kind.label) for kind in kinds(HOME)]


@dataclass
class Rendered:
    name: str
    heading: str
    html: str


def render_section(kind: SectionKind, scope: Scope, *, heading="", count=None) -> Rendered | None:
    from portal.cache import cached_fragment, fragment_key

    count = count or kind.default_count
    heading = heading or str(kind.label)
    request = scope.request
    key = fragment_key(
        request,
        "section",
        kind.name,
        scope.page.pk,
        count,
        get_language(),
        sha1(heading.encode()).hexdigest()[:12],
        int(time.time() // TIME_SLICE),
    )

    def render():
        items = kind.items(scope, count)
        if not items and not kind.always:
            return ""
        return render_to_string(
            kind.template,
            {
                "section": kind,
                "items": items,
                "scope": scope,
                "heading": heading,
                "anchor": f"section-{kind.name}",
                "request": request,
                "page": scope.page,
            },
            request=request,
        )

    html = cached_fragment(key, render, request)
    if not html.strip():
        return None
    return Rendered(kind.name, heading, html)


def render_sections(scope: Scope, choices, place: str = HOME) -> list[Rendered]:
    """`choices`: (name, heading, count) in the editor's order; None for the defaults."""
    if choices is None:
        choices = [(kind.name, "", None) for kind in kinds(place)]
    result = []
    for name, heading, count in choices:
        kind = _REGISTRY.get(name)
        if kind is None or place not in kind.places:
            continue  # an app no longer installed: its block is ignored
        rendered = render_section(kind, scope, heading=heading, count=count)
        if rendered is not None:
            result.append(rendered)
    return result
