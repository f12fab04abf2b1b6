"""A centre's editors, once signed in, see their own centre and nothing of another one:
explorer, admin search, choosers, reports, site settings. And the admin speaks French."""

import html
import io
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

import pytest
from openpyxl import load_workbook

from centres.models import Centre

from .test_permissions import (
    NATIONAL_COLLECTION,
    REFUSAL,
    XHR,
    assert_refused,
    chooser_page_ids,
    make_document,
    make_draft,
    make_image,
    messages_of,
)

pytestmark = pytest.mark.django_db

SECRET = "Projet confidentiel ORIV"


def listed_page_ids(response) -> set[int]:
    """Pages an explorer or admin search listing shows (one edit link per row)."""
    return {int(pk) for pk in re.findall(r"/admin/pages/(\d+)/edit/", response.content.decode())}


def tree_ids(page) -> set[int]:
    return set(page.get_descendants(inclusive=True).values_list("pk", flat=True))


@pytest.fixture
def oriv_secret(network):
    """A draft of ORIV's, with a title nobody outside ORIV should ever read, put where the
    admin lists pages: ORIV's editors edited it (site history), submitted it to their
    own review workflow (workflow reports, dashboard) and locked it (locked pages)."""
    oriv, editor = network.centres["oriv"], network.user("editeur-oriv")
    page = make_draft(oriv.home_page, "oriv")
    page.title = page.draft_title = SECRET
    page.save()
    page.save_revision(user=editor, log_action=True)
    workflow = Workflow.objects.create(name="Relecture ORIV")
    task = GroupApprovalTask.objects.create(name="Relecture par l'équipe")
    task.groups.add(oriv.editors_group)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=oriv.home_page)
    workflow.start(page, editor)
    Page.objects.filter(pk=page.pk).update(locked=True, locked_by=editor, locked_at=timezone.now())
    return page


def test_an_editor_lands_on_their_centre_tree(network, oriv_secret):
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    client = network.client_for("editeur-irev")
    own_tree = reverse("wagtailadmin_explore", args=[irev.home_page.pk])

    response = client.get(reverse("wagtailadmin_explore_root"))
    assert response.status_code == 302
    assert response["Location"] == own_tree

    listing = client.get(own_tree)
    assert listing.status_code == 200
    shown = listed_page_ids(listing)
    assert set(irev.home_page.get_children().values_list("pk", flat=True)) <= shown
    assert shown <= tree_ids(irev.home_page)

    # Typing another centre's (or the portal's) explorer address leads back home.
    for elsewhere in (oriv.home_page, oriv_secret, network.national_home):
        response = client.get(reverse("wagtailadmin_explore", args=[elsewhere.pk]))
        assert response["Location"] == own_tree

    # The sidebar's page explorer reads the admin API: it starts at the centre's home.
    api = client.get("/admin/api/main/pages/", {"child_of": "root"})
    assert api.status_code == 200
    assert [item["id"] for item in api.json()["items"]] == [irev.home_page.pk]
    # Page after page (the API gives 20 at most), exactly the centre's tree.
    listed, total = set(), None
    while total is None or len(listed) < total:
        api = client.get("/admin/api/main/pages/", {"limit": 20, "offset": len(listed)}).json()
        total = api["meta"]["total_count"]
        assert api["items"], api
        listed |= {item["id"] for item in api["items"]}
    assert listed == tree_ids(irev.home_page) and total == len(listed)


def test_admin_page_search_finds_the_users_own_pages_only(network):
    # The portal's English "Legal notice" does not match the French query.
    french = Page.objects.filter(slug="mentions-legales", locale__language_code="fr")
    legal = {page.get_parent().pk: page.pk for page in french}
    assert len(legal) == 20  # 19 centres and the portal: the query matches everywhere
    irev_home, national_home = network.centres["irev"].home_page, network.national_home
    expected = {
        "editeur-irev": {legal[irev_home.pk]},
        "coordination": {legal[national_home.pk]},
        "admin": set(legal.values()),
    }
    for username, pages in expected.items():
        response = network.client_for(username).get(
            reverse("wagtailadmin_pages:search"), {"q": "Mentions légales"}
        )
        assert response.status_code == 200
        assert listed_page_ids(response) & set(legal.values()) == pages, username


def test_the_page_chooser_offers_the_own_centre_and_the_portal_only(network):
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    national = network.national_home
    client = network.client_for("editeur-irev")

    english = national.get_translation(Locale.objects.get(language_code="en"))
    root = client.get(reverse("wagtailadmin_choose_page"), **XHR)
    assert root.status_code == 200
    # The portal's English version is a public site too: it may be linked to.
    assert chooser_page_ids(root.json()["html"]) == {irev.home_page.pk, national.pk, english.pk}

    search = client.get(
        reverse("wagtailadmin_choose_page_search"), {"q": "Mentions légales"}, **XHR
    )
    legal = Page.objects.filter(slug="mentions-legales")
    assert chooser_page_ids(search.content.decode()) == {
        legal.child_of(irev.home_page).get().pk,
        legal.child_of(national).get().pk,
    }

    # Browsing into another centre's tree by typing its id is refused outright: the
    # listing would otherwise show the parent page's title.
    for page in (oriv.home_page, oriv.home_page.get_children().first()):
        response = client.get(reverse("wagtailadmin_choose_page_child", args=[page.pk]), **XHR)
        assert response.status_code == 403

    # The portal's published pages can be linked to, its drafts are not offered.
    national_draft = make_draft(national, "national")
    own_draft = make_draft(irev.home_page, "irev")
    browse = client.get(reverse("wagtailadmin_choose_page_child", args=[national.pk]), **XHR)
    offered = chooser_page_ids(browse.json()["html"])
    assert set(national.get_children().live().values_list("pk", flat=True)) <= offered
    assert national_draft.pk not in offered
    response = client.get(
        reverse("wagtailadmin_choose_page_child", args=[national_draft.pk]), **XHR
    )
    assert response.status_code == 403
    search = client.get(
        reverse("wagtailadmin_choose_page_search"), {"q": "Brouillon confidentiel"}, **XHR
    )
    assert chooser_page_ids(search.content.decode()) == {own_draft.pk}


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("editeur-irev", {"irev"}),
        ("coordination", {"national"}),
        ("admin", {"irev", "oriv", "national"}),
    ],
)
def test_document_and_image_listings_show_the_users_collections_only(network, username, sees):
    collections = {
        "irev": network.centres["irev"].collection,
        "oriv": network.centres["oriv"].collection,
        "national": Collection.objects.get(name=NATIONAL_COLLECTION),
    }
    for scope, collection in collections.items():
        make_document(collection, scope)
        make_image(collection, scope)
    client = network.client_for(username)

    def scopes_listed(markup, kind):
        return {scope for scope in collections if f"{kind} test {scope}" in markup}

    # The choosers open as a modal (JSON wrapping HTML); their search returns bare HTML.
    for name, kind in [
        ("wagtaildocs_chooser:choose", "Document"),
        ("wagtailimages_chooser:choose", "Image"),
    ]:
        response = client.get(reverse(name), **XHR)
        assert response.status_code == 200
        assert scopes_listed(response.json()["html"], kind) == sees, name
    for name, kind, headers in [
        ("wagtaildocs_chooser:choose_results", "Document", XHR),
        ("wagtailimages_chooser:choose_results", "Image", XHR),
        ("wagtaildocs:index", "Document", {}),
        ("wagtailimages:index", "Image", {}),
    ]:
        response = client.get(reverse(name), {"q": "test"}, **headers)
        assert response.status_code == 200
        assert scopes_listed(response.content.decode(), kind) == sees, name


# Admin screens that list pages, each with a user who rightly sees ORIV's draft there:
# proof that the screen would show it, were it leaking.
SWEEP = [
    ("wagtailadmin_home", {}, {}, "editeur-oriv"),
    ("wagtailadmin_explore_root", {}, {}, "editeur-oriv"),
    ("wagtailadmin_pages:search", {"q": "confidentiel"}, {}, "editeur-oriv"),
    ("wagtailadmin_choose_page_search", {"q": "confidentiel"}, XHR, "editeur-oriv"),
    ("wagtailadmin_reports:locked_pages", {}, {}, "editeur-oriv"),
    ("wagtailadmin_reports:site_history", {}, {}, "editeur-oriv"),
    ("wagtailadmin_reports:workflow", {}, {}, "editeur-oriv"),
    ("wagtailadmin_reports:workflow_tasks", {}, {}, "editeur-oriv"),
    ("wagtailadmin_reports:page_types_usage", {}, {}, "admin"),
]


@pytest.mark.parametrize(("name", "query", "headers", "rightful"), SWEEP, ids=[s[0] for s in SWEEP])
def test_another_centres_draft_shows_on_no_screen(
    network, oriv_secret, name, query, headers, rightful
):
    def seen_by(username):
        response = network.client_for(username).get(reverse(name), query, follow=True, **headers)
        assert response.status_code == 200, username
        return SECRET in response.content.decode()

    assert seen_by(rightful)
    assert not seen_by("editeur-irev")
    assert not seen_by("coordination")


@pytest.mark.parametrize("username", ["editeur-irev", "coordination"])
def test_the_network_wide_page_types_report_is_for_superusers(network, username):
    # It names the page edited last for each page type, anywhere on the install.
    response = network.client_for(username).get(reverse("wagtailadmin_reports:page_types_usage"))
    assert_refused(response, username)
    menu = network.client_for(username).get(reverse("wagtailadmin_home")).content.decode()
    assert "page-types-usage" not in menu
    menu = network.client_for("admin").get(reverse("wagtailadmin_home")).content.decode()
    assert "page-types-usage" in menu


def test_a_draft_is_not_served_on_the_public_site(network):
    draft = make_draft(network.centres["irev"].home_page, "irev")
    response = Client().get(f"/{draft.slug}/", HTTP_HOST="irev.localhost")
    assert response.status_code == 404


def test_each_centres_editors_change_their_own_site_identity_and_no_other(network):
    centres = list(Centre.objects.select_related("home_page").order_by("slug"))
    assert len(centres) == 19
    for centre, neighbour in zip(centres, centres[1:] + centres[:1]):
        client = network.client_for(f"editeur-{centre.slug}")
        own = reverse("wagtailsettings:edit", args=["centres", "siteidentity", centre.site.pk])
        # The settings menu item opens the centre's own site, whatever host it is used on.
        for host in ("localhost", f"{neighbour.slug}.localhost"):
            response = client.get("/admin/settings/centres/siteidentity/", HTTP_HOST=host)
            assert response["Location"] == own, centre.slug
        neighbours = reverse(
            "wagtailsettings:edit", args=["centres", "siteidentity", neighbour.site.pk]
        )
        assert_refused(client.get(neighbours), centre.slug)
        national = reverse(
            "wagtailsettings:edit", args=["centres", "siteidentity", network.national_site.pk]
        )
        assert_refused(client.get(national), centre.slug)


@pytest.mark.parametrize("username", ["admin", "coordination", "editeur-irev", "editeur-oriv"])
@pytest.mark.parametrize("accept_language", [None, "fr-FR,fr;q=0.9"])
def test_the_admin_speaks_french_to_every_user(network, username, accept_language):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    client = network.client_for(username)
    for url, heading in [
        (reverse("wagtailadmin_home"), "Tableau de bord"),
        (reverse("wagtailadmin_explore_root"), "Rechercher"),
    ]:
        response = client.get(url, follow=True, **headers)
        markup = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="fr"' in markup
        assert heading in markup
        assert "Rapports" in markup and "Reports" not in markup  # the sidebar menu
    if username != "admin":  # refusals too
        other_site = network.centres["oriv" if username == "editeur-irev" else "irev"].site
        refused = client.get(
            reverse("wagtailsettings:edit", args=["centres", "siteidentity", other_site.pk]),
            **headers,
        )
        assert REFUSAL in messages_of(refused)


@pytest.mark.parametrize(
    "name", ["wagtailadmin_reports:workflow", "wagtailadmin_reports:workflow_tasks"]
)
def test_workflow_reports_filters_offer_no_other_centres_workflow(network, oriv_secret, name):
    """The reports list one's own pages only; their filters listed every workflow and task
    of the install, and everyone who ever submitted a page for review."""

    def filters_of(username):
        response = network.client_for(username).get(reverse(name))
        assert response.status_code == 200
        return html.unescape(response.content.decode())

    rightful = filters_of("editeur-oriv")
    assert "Relecture ORIV" in rightful and "Relecture par l'équipe" in rightful
    if name == "wagtailadmin_reports:workflow":
        assert ">editeur-oriv<" in rightful.replace(" ", "").replace("\n", "")
    for username in ("editeur-irev", "coordination"):
        markup = filters_of(username)
        assert "Relecture ORIV" not in markup
        assert "Relecture par l'équipe" not in markup
        assert "editeur-oriv" not in markup


EXPORTS = [
    "wagtailadmin_reports:locked_pages",
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_tasks",
]


@pytest.mark.parametrize("export", ["csv", "xlsx"])
@pytest.mark.parametrize("name", EXPORTS)
def test_report_exports_hold_no_other_centres_draft(network, oriv_secret, name, export):
    """The reports' CSV/XLSX exports (what an editor mails around) follow their screens."""

    def exported_by(username):
        response = network.client_for(username).get(reverse(name), {"export": export})
        assert response.status_code == 200, username
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if export == "xlsx":  # a zip of XML parts: read the cells back
            sheet = load_workbook(io.BytesIO(body)).active
            return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
        return body.decode("utf-8-sig")

    assert SECRET in exported_by("editeur-oriv")
    assert SECRET not in exported_by("editeur-irev")
    assert SECRET not in exported_by("coordination")
