"""A centre's two-step publication (a writer submits, one of the centre's validators
publishes) with Wagtail's workflows. Off by default: each editor publishes in autonomy.

Wagtail lets anyone holding the publish permission publish past a workflow, so turning
it on also moves that permission on the centre's tree from its editors group to its
validators group; turning it off gives it back."""

from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from centres.permissions import CENTRE_PAGE_PERMISSIONS, permission_by_codename

VALIDATORS_GROUP_PREFIX = "Validateurs · "


def validators_group(centre, create=False) -> Group | None:
    name = VALIDATORS_GROUP_PREFIX + centre.name
    if not create:
        return Group.objects.filter(name=name).first()
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(permission_by_codename("wagtailadmin", "access_admin"))
    for codename in CENTRE_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=centre.home_page,
            permission=permission_by_codename("wagtailcore", codename),
        )
    return group


def is_enabled(centre) -> bool:
    return WorkflowPage.objects.filter(page=centre.home_page_id).exists()


def _editors_publish(centre):
    return dict(
        group=centre.editors_group,
        page=centre.home_page,
        permission=permission_by_codename("wagtailcore", "publish_page"),
    )


@transaction.atomic
def enable(centre, validators) -> Workflow:
    group = validators_group(centre, create=True)
    group.user_set.set(validators)
    task = GroupApprovalTask.objects.filter(name=f"Validation · {centre.name}").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"Validation · {centre.name}")
    task.groups.set([group])
    workflow, _ = Workflow.objects.get_or_create(name=f"Circuit de validation · {centre.name}")
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    # Through the model's manager: the workflow's own (a ParentalKey) would only write on
    # the workflow's next save.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=centre.home_page, defaults={"workflow": workflow})
    GroupPagePermission.objects.filter(**_editors_publish(centre)).delete()
    return workflow


@transaction.atomic
def disable(centre):
    """Back to publishing in autonomy. Pages already submitted stay in the validators'
    hands until they decide (their workflow remains active)."""
    WorkflowPage.objects.filter(page=centre.home_page).delete()
    GroupPagePermission.objects.get_or_create(**_editors_publish(centre))


def can_manage(user, centre) -> bool:
    """The coordination and a centre's editors turn it on; once on, only the centre's
    validators (or the coordination) turn it off or change who validates."""
    from centres.permissions import is_coordinator

    if not (user.is_authenticated and user.is_active):
        return False
    if is_coordinator(user):
        return True
    group = validators_group(centre)
    if is_enabled(centre):
        return group is not None and user.groups.filter(pk=group.pk).exists()
    return user.groups.filter(pk=centre.editors_group_id).exists()
