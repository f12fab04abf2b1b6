"""Cheaper page routing for the listing pages (agenda, library, working groups).

Wagtail's `Page.route` finds a child in two queries (`get_children().get(slug=...)`, then
`.specific`). A listing page knows the type of nearly all its children: it asks for that
type directly, in one query. Anything else (a series, an unknown slug, a route of the listing's own)
takes Wagtail's ordinary path, with its rules for drafts and routable pages."""

from django.http import Http404


def owns_route(page, path_components) -> bool:
    """True if a RoutablePageMixin page answers this path itself (its feeds, ...):
    those routes come before its children, as in RoutablePageMixin.route."""
    if not page.live or not hasattr(page, "get_resolver"):
        return False
    try:
        page.get_resolver().resolve("/" + "/".join(path_components) + "/")
    except Http404:
        return False
    return True


def route_to_child(page, request, path_components, model):
    """The route through the child of type `model` named by the first component, or
    None for the caller to fall back on Wagtail's own routing."""
    if not path_components or owns_route(page, path_components):
        return None
    # No select_related: what the child's page shows of its relations is in its cached
    # body, and joins cost more to compile than the query they would save on a miss.
    found = list(model.objects.child_of(page).filter(slug=path_components[0])[:1])
    if not found:
        return None
    child = found[0]
    # As Page.route does: the parent is known, get_parent() needs no query.
    # UPGRADE CHECKPOINT django-treebeard==5.3.1: `MP_Node._cached_parent_obj`, returned by `get_parent()` without a query (tests/test_upgrade_internals.py::test_a_listing_child_knows_its_parent_without_a_query)
    child._cached_parent_obj = page
    return child.route(request, path_components[1:])
