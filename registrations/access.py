"""Who sees which registrations: whoever may edit the event's (or the cycle's) page:
its centre's editors, a working group's members for the group's events, the national
coordination for the national portal's events, a superuser everything. Registrants are
personal data: nobody else sees them; the figures (counts, no name) are read by the
same people, and by the coordination for every centre (`figures_openings_for`)."""

from wagtail.permission_policies.pages import PagePermissionPolicy

from centres.permissions import is_coordinator

from .models import Opening


def editable_pages(user):
    if user is None or not user.is_authenticated or not user.is_active:
        from wagtail.models import Page

        return Page.objects.none()
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


def openings_for(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return Opening.objects.none()
    if user.is_superuser:
        return Opening.objects.all()
    return Opening.objects.filter(page__in=editable_pages(user).values("pk"))


def figures_openings_for(user):
    if user is not None and user.is_authenticated and user.is_active and is_coordinator(user):
        return Opening.objects.all()
    return openings_for(user)


def can_manage(user, opening) -> bool:
    return openings_for(user).filter(pk=opening.pk).exists()
