"""What a user may *read* of the network's content in the admin, and which documents are
public. Rules (written for editors in docs/permissions.md):

- pages: those the user may explore (the trees where they hold page permissions, and the
  pages above them), as Wagtail's explorer lists them;
- documents and images: those of the collections where the user may change, delete or
  choose them (a centre's collection for its editors, the national collection and the
  working groups' for the coordination);
- other records: what their permission policy grants (a site's promoted results: that
  site's editors and the coordination);
- a document is public once a published page open to anyone, or a record with no draft
  state (a site setting, a snippet), uses it; until then only those who may work on its collection
  download it."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import DraftStateMixin, Page, ReferenceIndex
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

# The actions that let a user see an item: what Wagtail's listings and choosers ask for.
SEEING_ACTIONS = ["change", "delete", "choose", "view"]


def visible_instances(model, user):
    """The instances of `model` that `user` may see in the admin."""
    if not (user.is_active and user.is_authenticated):
        return model._default_manager.none()
    if issubclass(model, Page):
        return PagePermissionPolicy().explorable_instances(user)
    policy = policy_registry.get_by_type(model)
    if policy is None:  # a model Wagtail checks no permission on: Django's view right
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            return model._default_manager.all()
        return model._default_manager.none()
    return policy.instances_user_has_any_permission_for(user, SEEING_ACTIONS)


def used_publicly(document) -> bool:
    """Does a published page open to anyone, or a record without draft state, use
    `document`?"""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = []
    for type_id, object_id in (
        ReferenceIndex.get_references_to(document)
        .values_list("base_content_type_id", "object_id")
        .distinct()
    ):
        if type_id == page_type.pk:
            page_ids.append(object_id)
            continue
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        if not issubclass(model, DraftStateMixin):
            return True
        if model._default_manager.filter(pk=object_id, live=True).exists():
            return True
    # A page behind Wagtail's privacy (a password, signed-in users, groups) is not public:
    # a document only such pages use stays private. Few pages use one document.
    return any(
        not page.get_view_restrictions().exists()
        for page in Page.objects.filter(pk__in=page_ids, live=True)
    )


def may_download(document, user) -> bool:
    if used_publicly(document):
        return True
    return visible_instances(type(document), user).filter(pk=document.pk).exists()
