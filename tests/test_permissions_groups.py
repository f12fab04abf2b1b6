"""The working groups' spaces: who may do what in the Santé group's space, answered by the
real admin views, each cell asserting the HTTP answer and its effect in the database.

Roles:
- gt-sante: an editor of IREV (the Santé group's pilot centre) who belongs to the
  group's Django group "Groupe de travail · Santé";
- editeur-oriv: ORIV is one of the Santé group's member centres, but the seed puts no
  centre editor in the group's Django group (only the one `gt-<slug>` account per
  group): membership of the space is that group's, so ORIV's editor is refused;
- coordination: the national coordination (rights over the whole national site);
- anonyme: not signed in.

How Wagtail refuses (see tests/test_permissions.py): a signed-in user is redirected to
the dashboard with "Désolé, vous n'avez pas les autorisations…", an anonymous visitor to
the login page."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.models import Collection, Page

import pytest

from agenda.models import EventPage
from home.models import ContentPage
from publications.models import PublicationPage, WorkingGroupPage

from .test_permissions import REFUSAL, messages_of, page_form
from .test_publications_helpers import admin_form_data, group, library_of, make_publication

pytestmark = pytest.mark.django_db

MEMBER, OTHER_EDITOR = "gt-sante", "editeur-oriv"
COORDINATION, ANONYMOUS = "coordination", "anonyme"
ROLES = (MEMBER, OTHER_EDITOR, COORDINATION, ANONYMOUS)
ACTIONS = (
    "add_publication",  # a PublicationPage under the Santé group's page
    "edit_publication",  # a draft of the group's seeded publication
    "publish_publication",  # the same, published
    "add_event",  # an agenda.EventPage under the group's page
    "edit_group_page",  # the group's page itself (pilots, members, activity)
    "unpublish_group_page",  # ... taking it offline
    "lock_group_page",  # ... locking it against the coordination's edits
    "delete_group_page",  # ... deleting it with its publications
    "add_national_page",  # a ContentPage under the national home page
    "add_to_national_library",  # a PublicationPage in the national /ressources/
    "add_in_other_group",  # a PublicationPage in the Éducation group's space
    "upload_document",  # a document into the Santé group's collection
)

Y, N = True, False
# Every cell, spelled out. Columns follow ROLES: gt-sante, editeur-oriv, coordination, anonyme.
# fmt: off
TABLE = {
    "add_publication":         (Y, N, Y, N),
    "edit_publication":        (Y, N, Y, N),
    "publish_publication":     (Y, N, Y, N),
    "add_event":               (Y, N, Y, N),
    "edit_group_page":         (N, N, Y, N),
    "unpublish_group_page":    (N, N, Y, N),
    "lock_group_page":         (N, N, Y, N),
    "delete_group_page":       (N, N, Y, N),
    "add_national_page":       (N, N, Y, N),
    "add_to_national_library": (N, N, Y, N),
    "add_in_other_group":      (N, N, Y, N),
    "upload_document":         (Y, N, Y, N),
}
# fmt: on
EXPECTED = {
    (role, action): allowed
    for action, cells in TABLE.items()
    for role, allowed in zip(ROLES, cells, strict=True)
}
EVENTS_IN_GROUPS = "publications.WorkingGroupPage" in EventPage.parent_page_types


def test_the_table_has_exactly_one_answer_per_cell():
    assert set(EXPECTED) == {(role, action) for role in ROLES for action in ACTIONS}


def test_gt_sante_is_what_the_table_says(network):
    user = network.user(MEMBER)
    assert set(user.groups.values_list("name", flat=True)) == {
        "Éditeurs · IREV",
        "Groupe de travail · Santé",
    }
    sante = group("sante")
    assert network.centres["irev"] in sante.pilots.all()
    # ORIV is a member centre, its editor is not in the group's space.
    assert network.centres["oriv"] in sante.members.all()
    other_groups = network.user(OTHER_EDITOR).groups
    assert not other_groups.filter(name__startswith="Groupe de travail").exists()


# --- reading the answers ----------------------------------------------------------------


def assert_refused(response, role):
    assert response.status_code == 302, response.status_code
    if role == ANONYMOUS:
        assert response["Location"].startswith(reverse("wagtailadmin_login") + "?next=")
    else:
        assert response["Location"] == reverse("wagtailadmin_home")
        assert REFUSAL in messages_of(response)


class Cell:
    def __init__(self, network, role):
        self.network, self.role = network, role
        self.client = (
            Client(HTTP_HOST="localhost") if role == ANONYMOUS else network.client_for(role)
        )
        self.admin = network.client_for("admin")  # builds the forms every role posts
        self.group = group("sante")
        self.publication = PublicationPage.objects.get(working_group=self.group)

    def add_form(self, parent, model, **fields):
        """The creation form, as the admin gets it, filled with `fields`."""
        url = reverse(
            "wagtailadmin_pages:add",
            args=[model._meta.app_label, model._meta.model_name, parent.pk],
        )
        form = self.admin.get(url).context["form"]
        return url, admin_form_data(form, **fields)

    def edit_form(self, page, **fields):
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        form = self.admin.get(url).context["form"]
        return url, admin_form_data(form, **fields)


def publication_fields(slug):
    return {
        "title": "Note du groupe",
        "slug": slug,
        "publication_date": "2026-01-15",
        "summary": "Une note commune.",
    }


def check_add(cell, allowed, parent, model, fields, slug, data=None):
    url, form_data = cell.add_form(parent, model, **fields)
    data = form_data if data is None else data
    form = cell.client.get(url)
    response = cell.client.post(url, data)
    created = model.objects.filter(slug=slug)
    if allowed:
        assert form.status_code == 200
        page = created.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert page.get_parent().pk == parent.pk
        assert not page.live
        return page
    assert_refused(form, cell.role)
    assert_refused(response, cell.role)
    assert not created.exists()
    return None


# --- one check per action ---------------------------------------------------------------


def check_add_publication(cell, allowed):
    page = check_add(
        cell,
        allowed,
        cell.group,
        PublicationPage,
        publication_fields("note-du-groupe"),
        "note-du-groupe",
    )
    if page is not None:
        assert page.working_group == cell.group
        assert page.owner.username == cell.role


def check_edit_publication(cell, allowed):
    page = cell.publication
    revisions = page.revisions.count()
    url, data = cell.edit_form(page, title="Titre en projet")
    form = cell.client.get(url)
    response = cell.client.post(url, data)
    page.refresh_from_db()
    assert page.live and page.title == "Enjeux de santé dans les quartiers prioritaires"
    if allowed:
        assert form.status_code == 200
        assert response.status_code == 302 and response["Location"] == url
        assert page.revisions.count() == revisions + 1
        assert page.get_latest_revision().content["title"] == "Titre en projet"
        assert page.has_unpublished_changes
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert page.revisions.count() == revisions
        assert not page.has_unpublished_changes


def check_publish_publication(cell, allowed):
    page = cell.publication
    url, data = cell.edit_form(page, title="Titre publié", **{"action-publish": "action-publish"})
    response = cell.client.post(url, data)
    page.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_explore", args=[cell.group.pk])
        assert page.live and page.title == "Titre publié"
        assert page.live_revision_id == page.latest_revision_id
        assert page.working_group == cell.group
    else:
        assert_refused(response, cell.role)
        assert page.title == "Enjeux de santé dans les quartiers prioritaires"


def check_add_event(cell, allowed):
    if allowed and not EVENTS_IN_GROUPS:
        pytest.xfail(
            "agenda.EventPage.parent_page_types (EVENT_PARENTS in agenda/models.py) "
            "lacks publications.WorkingGroupPage: expected to change"
        )
    fields = {
        "title": "Séminaire santé",
        "slug": "seminaire-sante",
        "start_date": "2031-01-15",
        "start_time": "14:00",
        "end_time": "16:00",
        "attendance": "in_person",
        "venue": "Salle du conseil",
        "city": "Lille",
    }
    if EVENTS_IN_GROUPS:
        check_add(cell, allowed, cell.group, EventPage, fields, "seminaire-sante")
        return
    # Until then nobody may: the admin refuses the type under the group's page.
    url = reverse("wagtailadmin_pages:add", args=["agenda", "eventpage", cell.group.pk])
    assert_refused(cell.client.get(url), cell.role)
    assert_refused(cell.client.post(url, fields), cell.role)
    assert not EventPage.objects.filter(slug="seminaire-sante").exists()


def check_edit_group_page(cell, allowed):
    page = cell.group
    revisions = page.revisions.count()
    url, data = cell.edit_form(page, title="Santé (renommé)")
    form = cell.client.get(url)
    response = cell.client.post(url, data)
    page.refresh_from_db()
    if allowed:
        assert form.status_code == 200
        assert response.status_code == 302 and response["Location"] == url
        assert page.revisions.count() == revisions + 1
        assert page.get_latest_revision().content["title"] == "Santé (renommé)"
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert page.revisions.count() == revisions
    # Published or not, the live page keeps its title until a publish.
    assert WorkingGroupPage.objects.get(pk=page.pk).title == "Santé"


def check_unpublish_group_page(cell, allowed):
    url = reverse("wagtailadmin_pages:unpublish", args=[cell.group.pk])
    response = cell.client.post(url, {"include_descendants": "on"})
    live = WorkingGroupPage.objects.get(pk=cell.group.pk).live
    if allowed:
        assert response.status_code == 302
        assert not live
    else:
        assert_refused(response, cell.role)
        assert live
        assert PublicationPage.objects.get(pk=cell.publication.pk).live


def check_lock_group_page(cell, allowed):
    response = cell.client.post(reverse("wagtailadmin_pages:lock", args=[cell.group.pk]))
    page = WorkingGroupPage.objects.get(pk=cell.group.pk)
    if allowed:
        assert response.status_code == 302
        assert page.locked and page.locked_by.username == cell.role
    else:
        assert_refused(response, cell.role)
        assert not page.locked


def check_delete_group_page(cell, allowed):
    url = reverse("wagtailadmin_pages:delete", args=[cell.group.pk])
    confirm = cell.client.get(url)
    response = cell.client.post(url)
    still_there = Page.objects.filter(pk__in=[cell.group.pk, cell.publication.pk]).count()
    if allowed:
        assert confirm.status_code == 200
        assert response.status_code == 302
        assert still_there == 0
    else:
        assert_refused(confirm, cell.role)
        assert_refused(response, cell.role)
        assert still_there == 2


def check_add_national_page(cell, allowed):
    fields = {"title": "Page du groupe", "slug": "page-du-groupe"}
    check_add(
        cell,
        allowed,
        cell.network.national_home,
        ContentPage,
        fields,
        "page-du-groupe",
        data=page_form(**fields),
    )


def check_add_to_national_library(cell, allowed):
    library = library_of(cell.network.national_home)
    page = check_add(
        cell,
        allowed,
        library,
        PublicationPage,
        publication_fields("note-nationale"),
        "note-nationale",
    )
    if page is not None:
        assert page.working_group is None


def check_add_in_other_group(cell, allowed):
    other = group("education")
    page = check_add(
        cell,
        allowed,
        other,
        PublicationPage,
        publication_fields("note-education"),
        "note-education",
    )
    if page is not None:
        assert page.working_group == other


def check_upload_document(cell, allowed):
    collection = Collection.objects.get(name="Groupe de travail · Santé")
    title = "Compte rendu du groupe"
    upload = SimpleUploadedFile(
        "compte-rendu.pdf", b"%PDF-1.4 demo", content_type="application/pdf"
    )
    response = cell.client.post(
        reverse("wagtaildocs:add"), {"title": title, "file": upload, "collection": collection.pk}
    )
    landed = set(
        get_document_model().objects.filter(title=title).values_list("collection_id", flat=True)
    )
    if allowed:
        assert response.status_code == 302
        assert landed == {collection.pk}
    elif cell.role == ANONYMOUS:
        assert_refused(response, cell.role)
        assert landed == set()
    else:
        # editeur-oriv may add to one collection only (ORIV's): no collection field, the
        # upload is filed there whatever was posted, never in the group's collection.
        assert response.status_code == 302
        assert landed == {cell.network.centres["oriv"].collection_id}


CHECKS = {action: globals()[f"check_{action}"] for action in ACTIONS}


@pytest.mark.parametrize(
    ("role", "action"), list(EXPECTED), ids=[f"{role}-{action}" for role, action in EXPECTED]
)
def test_matrix(network, role, action):
    CHECKS[action](Cell(network, role), EXPECTED[(role, action)])


# --- what a member sees of the group's page in the admin ----------------------------------


def test_a_member_is_offered_no_action_on_the_group_page_itself(network):
    sante = group("sante")
    tester = sante.permissions_for_user(network.user(MEMBER))
    assert tester.can_add_subpage() and tester.can_publish_subpage()
    assert tester.can_reorder_children()
    assert not any(
        [
            tester.can_edit(),
            tester.can_delete(),
            tester.can_publish(),
            tester.can_unpublish(),
            tester.can_move(),
            tester.can_copy(),
            tester.can_lock(),
            tester.can_unlock(),
            tester.can_set_view_restrictions(),
        ]
    )
    # The same answer when Wagtail asks through a plain Page (its listings do).
    assert not Page.objects.get(pk=sante.pk).permissions_for_user(network.user(MEMBER)).can_edit()
    coordination = sante.permissions_for_user(network.user(COORDINATION))
    assert coordination.can_edit() and coordination.can_unpublish() and coordination.can_lock()


def test_a_member_browses_the_group_space_in_the_admin(network):
    sante = group("sante")
    response = network.client_for(MEMBER).get(reverse("wagtailadmin_explore", args=[sante.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enjeux de santé dans les quartiers prioritaires" in html
    assert reverse("wagtailadmin_pages:add_subpage", args=[sante.pk]) in html
    edit_link = f'href="{reverse("wagtailadmin_pages:edit", args=[sante.pk])}"'
    assert edit_link not in html
    coordination = network.client_for(COORDINATION).get(
        reverse("wagtailadmin_explore", args=[sante.pk])
    )
    assert edit_link in coordination.content.decode()


def test_a_member_may_move_a_centre_publication_into_the_group_space(network):
    """gt-sante edits for IREV and for the group: moving an IREV publication into the
    group's space makes it the group's (and moving it back, IREV's again)."""
    irev = network.centres["irev"]
    page = make_publication(
        library_of(irev.home_page),
        "Note à partager",
        authors=[irev],
        publication_date=date(2025, 2, 1),
    )
    client = network.client_for(MEMBER)
    url = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, group("sante").pk])
    response = client.post(url)
    assert response.status_code == 302
    moved = PublicationPage.objects.get(pk=page.pk)
    assert moved.get_parent().pk == group("sante").pk
    assert moved.working_group == group("sante")
