"""The permission matrix: every role × action × scope, answered by the real admin views.

Roles: the superuser, the national coordination, IREV's editors and an anonymous visitor.
Scopes: IREV (the editor's own centre), ORIV (another centre) and the national site.

Each cell creates what it acts on (a draft page, a document, an image) inside the test's
rolled-back transaction, calls the admin view over HTTP as that role, and asserts both
the answer and its effect in the database: done when allowed, nothing done when refused.
How Wagtail 8 refuses: a signed-in user is redirected to the dashboard with "Désolé, vous
n'avez pas les autorisations…" (`wagtail.admin.auth.permission_denied`), an anonymous
visitor to the login page; a chooser (an XMLHttpRequest) gets a plain 403."""

import html
import io
import re

from django.contrib.messages import get_messages
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest
from PIL import Image as PILImage

from centres.models import SiteIdentity
from home.models import ContentPage

pytestmark = pytest.mark.django_db

ADMIN, COORDINATION, EDITOR, ANONYMOUS = "admin", "coordination", "editeur-irev", "anonyme"
ROLES = (ADMIN, COORDINATION, EDITOR, ANONYMOUS)
SCOPES = ("irev", "oriv", "national")  # editeur-irev's own centre, another centre, the portal
ACTIONS = (
    "view_draft",  # wagtailadmin_pages:view_draft on a never-published page
    "add_page",  # GET then POST the page creation form under the scope's home page
    "edit",  # GET the edit form, POST a new title (saved as a draft)
    "edit_published",  # the same on the scope's published "Mentions légales" page
    "publish",  # POST the edit form with action-publish
    "delete",  # GET then POST the delete view
    "choose_page",  # the draft in the page chooser (search, and browsing its parent)
    "upload_document",  # POST wagtaildocs:add into the scope's collection
    "upload_image",  # POST wagtailimages:add into the scope's collection
    "choose_document",  # the scope's document in the document chooser, and choosing it
    "choose_image",  # the scope's image in the image chooser, and choosing it
    "edit_settings",  # GET then POST the scope's SiteIdentity (wagtailsettings:edit)
    # Issue #21's page types, each edited (draft) on the scope's site:
    "edit_theme_page",  # a theme page under /thematiques/
    "edit_statement",  # the accessibility statement
    "edit_form_page",  # the contact form
    "view_form_answers",  # the contact form's answers (wagtailforms:list_submissions)
)

Y, N = True, False
# Every cell, spelled out. Columns follow SCOPES: irev, oriv, national.
# fmt: off
TABLE = {
    ADMIN: {
        "view_draft":      (Y, Y, Y),
        "add_page":        (Y, Y, Y),
        "edit":            (Y, Y, Y),
        "edit_published":  (Y, Y, Y),
        "publish":         (Y, Y, Y),
        "delete":          (Y, Y, Y),
        "choose_page":     (Y, Y, Y),
        "upload_document": (Y, Y, Y),
        "upload_image":    (Y, Y, Y),
        "choose_document": (Y, Y, Y),
        "choose_image":    (Y, Y, Y),
        "edit_settings":   (Y, Y, Y),
        "edit_theme_page": (Y, Y, Y),
        "edit_statement":  (Y, Y, Y),
        "edit_form_page":  (Y, Y, Y),
        "view_form_answers": (Y, Y, Y),
    },
    COORDINATION: {
        "view_draft":      (N, N, Y),
        "add_page":        (N, N, Y),
        "edit":            (N, N, Y),
        "edit_published":  (N, N, Y),
        "publish":         (N, N, Y),
        "delete":          (N, N, Y),
        "choose_page":     (N, N, Y),
        "upload_document": (N, N, Y),
        "upload_image":    (N, N, Y),
        "choose_document": (N, N, Y),
        "choose_image":    (N, N, Y),
        "edit_settings":   (N, N, Y),
        "edit_theme_page": (N, N, Y),
        "edit_statement":  (N, N, Y),
        "edit_form_page":  (N, N, Y),
        "view_form_answers": (N, N, Y),
    },
    EDITOR: {
        "view_draft":      (Y, N, N),
        "add_page":        (Y, N, N),
        "edit":            (Y, N, N),
        "edit_published":  (Y, N, N),
        "publish":         (Y, N, N),
        "delete":          (Y, N, N),
        "choose_page":     (Y, N, N),
        "upload_document": (Y, N, N),
        "upload_image":    (Y, N, N),
        "choose_document": (Y, N, N),
        "choose_image":    (Y, N, N),
        "edit_settings":   (Y, N, N),
        "edit_theme_page": (Y, N, N),
        "edit_statement":  (Y, N, N),
        "edit_form_page":  (Y, N, N),
        "view_form_answers": (Y, N, N),
    },
    ANONYMOUS: {
        "view_draft":      (N, N, N),
        "add_page":        (N, N, N),
        "edit":            (N, N, N),
        "edit_published":  (N, N, N),
        "publish":         (N, N, N),
        "delete":          (N, N, N),
        "choose_page":     (N, N, N),
        "upload_document": (N, N, N),
        "upload_image":    (N, N, N),
        "choose_document": (N, N, N),
        "choose_image":    (N, N, N),
        "edit_settings":   (N, N, N),
        "edit_theme_page": (N, N, N),
        "edit_statement":  (N, N, N),
        "edit_form_page":  (N, N, N),
        "view_form_answers": (N, N, N),
    },
}
# fmt: on
EXPECTED = {
    (role, action, scope): allowed
    for role, rows in TABLE.items()
    for action, cells in rows.items()
    for scope, allowed in zip(SCOPES, cells, strict=True)
}

NATIONAL_COLLECTION = "Réseau national"
REFUSAL = "Désolé, vous n'avez pas les autorisations pour accéder à cette zone."
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}  # how the admin's choosers call


def test_the_table_has_exactly_one_answer_per_cell():
    assert set(EXPECTED) == {(r, a, s) for r in ROLES for a in ACTIONS for s in SCOPES}


# --- what the cells act on ------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "#1d4f91").save(buffer, "PNG")
    return buffer.getvalue()


PNG = png_bytes()


def draft_title(scope) -> str:
    return f"Brouillon confidentiel {scope}"


def make_draft(parent, scope) -> ContentPage:
    page = ContentPage(title=draft_title(scope), slug=f"brouillon-{scope}", live=False)
    parent.add_child(instance=page)
    page.save_revision()
    return page


def make_document(collection, scope):
    return get_document_model().objects.create(
        title=f"Document test {scope}",
        collection=collection,
        file=SimpleUploadedFile(f"document-{scope}.txt", b"Compte rendu"),
    )


def make_image(collection, scope):
    return get_image_model().objects.create(
        title=f"Image test {scope}",
        collection=collection,
        file=ImageFile(io.BytesIO(PNG), name=f"image-{scope}.png"),
    )


def page_form(title, slug, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "introduction": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def identity_form(identity, **changes):
    values = {
        "logo": identity.logo_id or "",
        "accent_colour": identity.accent_colour,
        "tagline": identity.tagline,
        "contact_email": identity.contact_email,
        "phone": identity.phone,
        "address": identity.address,
        "website": identity.website,
        "linkedin": identity.linkedin,
        "mastodon": identity.mastodon,
        "bluesky": identity.bluesky,
        "youtube": identity.youtube,
        "newsletter": identity.newsletter,
        "footer_text": rich_text(identity.footer_text, features=["bold", "italic", "link"]),
        "legal_notice_page": identity.legal_notice_page_id or "",
        "privacy_page": identity.privacy_page_id or "",
        "accessibility_page": identity.accessibility_page_id or "",
    }
    values.update(changes)
    return values


# --- reading the answers ----------------------------------------------------------------


def messages_of(response) -> list[str]:
    # Wagtail renders its messages through a template: unescape, strip the layout.
    return [html.unescape(str(message)).strip() for message in get_messages(response.wsgi_request)]


def assert_refused(response, role):
    assert response.status_code == 302, response.status_code
    if role == ANONYMOUS:
        assert response["Location"].startswith(reverse("wagtailadmin_login") + "?next=")
    else:
        assert response["Location"] == reverse("wagtailadmin_home")
        assert REFUSAL in messages_of(response)


def chooser_page_ids(markup: str) -> set[int]:
    """Pages a page chooser listing offers to choose."""
    return {int(pk) for pk in re.findall(r'class="choose-page"[^>]*data-id="(\d+)"', markup)}


def scope_collection(network, scope) -> Collection:
    if scope == "national":
        return Collection.objects.get(name=NATIONAL_COLLECTION)
    return network.centres[scope].collection


class Cell:
    """One role acting on one scope: its client and the scope's home page, collection, site."""

    def __init__(self, network, role, scope):
        self.network, self.role, self.scope = network, role, scope
        if scope == "national":
            self.home, self.site = network.national_home, network.national_site
        else:
            centre = network.centres[scope]
            self.home, self.site = centre.home_page.specific, centre.site
        self.collection = scope_collection(network, scope)
        if role == ANONYMOUS:
            self.client = Client(HTTP_HOST="localhost")
        else:
            self.client = network.client_for(role)

    def own_collections(self, action) -> set[int]:
        """Collections this role may upload to, according to the table."""
        return {
            scope_collection(self.network, scope).pk
            for scope in SCOPES
            if EXPECTED[(self.role, action, scope)]
        }


# --- one check per action ---------------------------------------------------------------


def check_view_draft(cell, allowed):
    draft = make_draft(cell.home, cell.scope)
    response = cell.client.get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk]))
    if allowed:
        assert response.status_code == 200
        assert draft.title in response.content.decode()
    else:
        assert_refused(response, cell.role)


def check_add_page(cell, allowed):
    url = reverse("wagtailadmin_pages:add", args=["home", "contentpage", cell.home.pk])
    slug = f"nouvelle-page-{cell.scope}"
    form = cell.client.get(url)
    response = cell.client.post(url, page_form("Nouvelle page", slug))
    created = ContentPage.objects.filter(slug=slug)
    if allowed:
        assert form.status_code == 200
        assert 'id="page-edit-form"' in form.content.decode()
        page = created.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert page.get_parent().pk == cell.home.pk
        assert not page.live
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert not created.exists()


def check_edit(cell, allowed):
    draft = make_draft(cell.home, cell.scope)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    revisions = draft.revisions.count()
    form = cell.client.get(url)
    response = cell.client.post(url, page_form("Titre modifié", draft.slug))
    draft.refresh_from_db()
    if allowed:
        assert form.status_code == 200
        assert 'id="page-edit-form"' in form.content.decode()
        assert response.status_code == 302
        assert response["Location"] == url
        assert draft.revisions.count() == revisions + 1
        assert draft.get_latest_revision().content["title"] == "Titre modifié"
        assert not draft.live
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert draft.revisions.count() == revisions
        assert draft.get_latest_revision().content["title"] == draft_title(cell.scope)


def check_edit_published(cell, allowed):
    page = cell.home.get_children().get(slug="mentions-legales").specific
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    revisions = page.revisions.count()
    form = cell.client.get(url)
    response = cell.client.post(url, page_form("Mentions légales (projet)", page.slug))
    page.refresh_from_db()
    assert page.live and page.title == "Mentions légales"  # a draft never touches the live page
    if allowed:
        assert form.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == url
        assert page.revisions.count() == revisions + 1
        assert page.get_latest_revision().content["title"] == "Mentions légales (projet)"
        assert page.has_unpublished_changes
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert page.revisions.count() == revisions
        assert not page.has_unpublished_changes


def check_publish(cell, allowed):
    draft = make_draft(cell.home, cell.scope)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    revisions = draft.revisions.count()
    response = cell.client.post(
        url, page_form("Titre publié", draft.slug, **{"action-publish": "action-publish"})
    )
    draft.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_explore", args=[cell.home.pk])
        assert draft.live
        assert draft.title == "Titre publié"
        assert draft.live_revision_id == draft.latest_revision_id
    else:
        assert_refused(response, cell.role)
        assert not draft.live
        assert draft.live_revision_id is None
        assert draft.revisions.count() == revisions


def check_delete(cell, allowed):
    draft = make_draft(cell.home, cell.scope)
    url = reverse("wagtailadmin_pages:delete", args=[draft.pk])
    confirm = cell.client.get(url)
    response = cell.client.post(url)
    still_there = Page.objects.filter(pk=draft.pk).exists()
    if allowed:
        assert confirm.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_explore", args=[cell.home.pk])
        assert not still_there
    else:
        assert_refused(confirm, cell.role)
        assert_refused(response, cell.role)
        assert still_there


def check_choose_page(cell, allowed):
    draft = make_draft(cell.home, cell.scope)
    # A published page beside the draft: the listing works, only the draft is at stake.
    legal = cell.home.get_children().get(slug="mentions-legales")
    search = cell.client.get(reverse("wagtailadmin_choose_page_search"), {"q": draft.title}, **XHR)
    browse = cell.client.get(reverse("wagtailadmin_choose_page_child", args=[cell.home.pk]), **XHR)
    if cell.role == ANONYMOUS:
        assert (search.status_code, browse.status_code) == (403, 403)
        assert not allowed
        return
    assert search.status_code == 200
    found = chooser_page_ids(search.content.decode())
    if allowed:
        assert draft.pk in found
        assert browse.status_code == 200
        assert {draft.pk, legal.pk} <= chooser_page_ids(browse.json()["html"])
    else:
        assert draft.pk not in found
        if browse.status_code == 403:
            # Another centre's tree cannot even be browsed by a centre's editors.
            assert (cell.role, cell.scope) == (EDITOR, "oriv")
        else:
            assert browse.status_code == 200
            listed = chooser_page_ids(browse.json()["html"])
            assert legal.pk in listed
            assert draft.pk not in listed


def check_choose_document(cell, allowed):
    document = make_document(cell.collection, cell.scope)
    listing = cell.client.get(reverse("wagtaildocs_chooser:choose"), **XHR)
    chosen = cell.client.get(reverse("wagtaildocs_chooser:chosen", args=[document.pk]), **XHR)
    check_chooser(cell, allowed, document, listing, chosen)


def check_choose_image(cell, allowed):
    image = make_image(cell.collection, cell.scope)
    listing = cell.client.get(reverse("wagtailimages_chooser:choose"), **XHR)
    chosen = cell.client.get(reverse("wagtailimages_chooser:chosen", args=[image.pk]), **XHR)
    check_chooser(cell, allowed, image, listing, chosen)


def check_chooser(cell, allowed, item, listing, chosen):
    if cell.role == ANONYMOUS:
        assert (listing.status_code, chosen.status_code) == (403, 403)
        assert not allowed
        return
    assert listing.status_code == 200
    listed = item.title in listing.json()["html"]
    if allowed:
        assert listed
        assert chosen.status_code == 200
        assert chosen.json()["result"]["title"] == item.title
    else:
        assert not listed
        assert chosen.status_code == 403


def check_upload(cell, allowed, action, url_name, model, upload):
    title = f"Téléversement {cell.scope}"
    response = cell.client.post(
        reverse(url_name), {"title": title, "file": upload, "collection": cell.collection.pk}
    )
    landed = set(model.objects.filter(title=title).values_list("collection_id", flat=True))
    if allowed:
        assert response.status_code == 302
        assert landed == {cell.collection.pk}
    elif cell.role == ANONYMOUS:
        assert_refused(response, cell.role)
        assert landed == set()
    elif response.status_code == 200:
        # A user who may add to several collections (a centre's and a working group's,
        # say) gets the collection field: the foreign collection is refused there.
        assert "collection" in response.context["form"].errors
        assert landed == set()
    else:
        # A user who may add to exactly one collection has no collection field: Wagtail
        # files the upload there, whatever was posted, never in the collection asked for.
        assert response.status_code == 302
        assert cell.collection.pk not in landed
        assert landed <= cell.own_collections(action)


def check_upload_document(cell, allowed):
    upload = SimpleUploadedFile("rapport.txt", b"Rapport annuel", content_type="text/plain")
    check_upload(cell, allowed, "upload_document", "wagtaildocs:add", get_document_model(), upload)


def check_upload_image(cell, allowed):
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    check_upload(cell, allowed, "upload_image", "wagtailimages:add", get_image_model(), upload)


def check_edit_settings(cell, allowed):
    identity = SiteIdentity.for_site(cell.site)
    before = identity.tagline
    url = reverse("wagtailsettings:edit", args=["centres", "siteidentity", cell.site.pk])
    form = cell.client.get(url)
    response = cell.client.post(url, identity_form(identity, tagline="Accroche modifiée"))
    identity.refresh_from_db()
    if allowed:
        assert form.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == url
        assert identity.tagline == "Accroche modifiée"
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert identity.tagline == before


def _edit_typed_page(cell, allowed, page):
    from .admin_forms import admin_form_data

    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    revisions = page.revisions.count()
    form = cell.client.get(url)
    if allowed:
        assert form.status_code == 200
        data = admin_form_data(form.context["form"], title=f"{page.title} (projet)")
    else:
        assert_refused(form, cell.role)
        data = {"title": f"{page.title} (projet)", "slug": page.slug}
    response = cell.client.post(url, data)
    page.refresh_from_db()
    assert page.live and not page.title.endswith("(projet)")
    if allowed:
        assert response.status_code == 302, response.context and response.context["form"].errors
        assert page.revisions.count() == revisions + 1
        assert page.get_latest_revision().content["title"].endswith("(projet)")
    else:
        assert_refused(response, cell.role)
        assert page.revisions.count() == revisions


def check_edit_theme_page(cell, allowed):
    from home.models import ThemePage

    _edit_typed_page(cell, allowed, ThemePage.objects.descendant_of(cell.home).first())


def check_edit_statement(cell, allowed):
    from home.models import AccessibilityStatementPage

    _edit_typed_page(cell, allowed, AccessibilityStatementPage.objects.child_of(cell.home).get())


def check_edit_form_page(cell, allowed):
    from home.models import FormPage

    _edit_typed_page(cell, allowed, FormPage.objects.child_of(cell.home).get(slug="contact"))


def check_view_form_answers(cell, allowed):
    from home.models import FormPage, SiteFormSubmission

    form = FormPage.objects.child_of(cell.home).get(slug="contact")
    SiteFormSubmission.objects.create(page=form, form_data={"message": f"Réponse {cell.scope}"})
    response = cell.client.get(reverse("wagtailforms:list_submissions", args=[form.pk]))
    if allowed:
        assert response.status_code == 200
        assert f"Réponse {cell.scope}" in response.content.decode()
    else:
        assert_refused(response, cell.role)


CHECKS = {action: globals()[f"check_{action}"] for action in ACTIONS}


@pytest.mark.parametrize(
    ("role", "action", "scope"),
    list(EXPECTED),
    ids=[f"{role}-{action}-{scope}" for role, action, scope in EXPECTED],
)
def test_matrix(network, role, action, scope):
    CHECKS[action](Cell(network, role, scope), EXPECTED[(role, action, scope)])
