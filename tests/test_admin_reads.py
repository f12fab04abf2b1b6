"""What each role may *read* in the admin, and download: the read side of the permission
matrix (tests/test_permissions.py holds the write side).

Roles: the superuser, the national coordination, IREV's editors, gt-sante (an IREV editor
who belongs to the Santé working group), an anonymous visitor.
Scopes: IREV (the editors' own centre), ORIV (another centre), the national site, the
Santé working group's space (its pages under the national site, its own collection).

Each cell creates, in the test's rolled-back transaction, an item with a title nobody
outside its scope should read (a draft page, a document, an image, a promoted search
result), asks the view as the role, and asserts that the title shows exactly when the
table says so. What a user may see is written for editors in docs/permissions.md."""

import json

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from wagtail.log_actions import log
from wagtail.models import Collection, Page, PageViewRestriction

import pytest

from agenda.models import AgendaPage
from interop.models import AgendaFeed
from publications.models import WorkingGroupPage
from search.models import SearchPromotion

from .reads_fixtures import publish_page_using
from .test_permissions import XHR, make_document, make_draft, make_image

pytestmark = pytest.mark.django_db

ADMIN, COORDINATION, EDITOR, MEMBER, ANONYMOUS = (
    "admin",
    "coordination",
    "editeur-irev",
    "gt-sante",
    "anonyme",
)
ROLES = (ADMIN, COORDINATION, EDITOR, MEMBER, ANONYMOUS)
SCOPES = ("irev", "oriv", "national", "group")
GROUP_COLLECTION = "Groupe de travail · Santé"
ACTIONS = (
    "api_documents",  # /admin/api/main/documents/: the listing and the item (download_url)
    "api_images",  # /admin/api/main/images/: the same for images
    "bulk_page",  # the confirmation page of /admin/bulk/wagtailcore/page/delete/?id=N
    "bulk_document",  # ... of the documents' bulk delete
    "bulk_image",  # ... of the images' bulk delete
    "bulk_snippet",  # ... of a snippet's (a promoted search result's) bulk delete
    "snippet_history",  # a promoted result's history and usage views
    "choose_snippet",  # a promoted result in its snippet chooser, and choosing it
    "page_history",  # a draft's history and usage views
    "document_usage",  # a document's usage view
    "image_usage",  # an image's usage view
    "download",  # /documents/<id>/<name> of a document no published page uses yet
)

ON_DISK = {
    "STORAGES": {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    },
}

Y, N = True, False
# Every cell, spelled out. Columns follow SCOPES: irev, oriv, national, group.
# Site-bound records (promoted results) of the group's scope are the national site's.
# fmt: off
TABLE = {
    ADMIN: {action: (Y, Y, Y, Y) for action in ACTIONS},
    COORDINATION: {
        "api_documents":   (N, N, Y, Y),
        "api_images":      (N, N, Y, Y),
        "bulk_page":       (N, N, Y, Y),
        "bulk_document":   (N, N, Y, Y),
        "bulk_image":      (N, N, Y, Y),
        "bulk_snippet":    (Y, Y, Y, Y),  # the coordination manages every site's search
        "snippet_history": (Y, Y, Y, Y),
        "choose_snippet":  (Y, Y, Y, Y),
        "page_history":    (N, N, Y, Y),
        "document_usage":  (N, N, Y, Y),
        "image_usage":     (N, N, Y, Y),
        "download":        (N, N, Y, Y),
    },
    EDITOR: {
        "api_documents":   (Y, N, N, N),
        "api_images":      (Y, N, N, N),
        "bulk_page":       (Y, N, N, N),
        "bulk_document":   (Y, N, N, N),
        "bulk_image":      (Y, N, N, N),
        "bulk_snippet":    (Y, N, N, N),
        "snippet_history": (Y, N, N, N),
        "choose_snippet":  (Y, N, N, N),
        "page_history":    (Y, N, N, N),
        "document_usage":  (Y, N, N, N),
        "image_usage":     (Y, N, N, N),
        "download":        (Y, N, N, N),
    },
    MEMBER: {
        "api_documents":   (Y, N, N, Y),
        "api_images":      (Y, N, N, Y),
        "bulk_page":       (Y, N, N, Y),
        "bulk_document":   (Y, N, N, Y),
        "bulk_image":      (Y, N, N, Y),
        "bulk_snippet":    (Y, N, N, N),  # search settings are a site's, not a group's
        "snippet_history": (Y, N, N, N),
        "choose_snippet":  (Y, N, N, N),
        "page_history":    (Y, N, N, Y),
        "document_usage":  (Y, N, N, Y),
        "image_usage":     (Y, N, N, Y),
        "download":        (Y, N, N, Y),
    },
    ANONYMOUS: {action: (N, N, N, N) for action in ACTIONS},
}
# fmt: on
EXPECTED = {
    (role, action, scope): allowed
    for role, rows in TABLE.items()
    for action, cells in rows.items()
    for scope, allowed in zip(SCOPES, cells, strict=True)
}


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.STORAGES, settings.MEDIA_ROOT = ON_DISK["STORAGES"], tmp_path


def test_the_table_has_exactly_one_answer_per_cell():
    assert set(EXPECTED) == {(r, a, s) for r in ROLES for a in ACTIONS for s in SCOPES}


class Cell:
    """One role reading one scope: its client, the scope's parent page, collection, site."""

    def __init__(self, network, role, scope):
        self.network, self.role, self.scope = network, role, scope
        if scope in ("national", "group"):
            self.site = network.national_site
            self.collection = Collection.objects.get(
                name="Réseau national" if scope == "national" else GROUP_COLLECTION
            )
            self.home = (
                network.national_home
                if scope == "national"
                else WorkingGroupPage.objects.get(slug="sante")
            )
        else:
            centre = network.centres[scope]
            self.site, self.collection = centre.site, centre.collection
            self.home = centre.home_page.specific
        if role == ANONYMOUS:
            self.client = Client(HTTP_HOST="localhost")
        else:
            self.client = network.client_for(role)

    def get(self, url, query=None):
        return self.client.get(url, query or {})


def shows(response, text) -> bool:
    return response.status_code == 200 and text in response.content.decode()


def assert_hidden(response, text):
    """Refused or not found, and never the text: 404 for a signed-in user who may not know
    the item exists, the login page for an anonymous visitor, 403 for a refused view."""
    assert response.status_code in (302, 403, 404), response.status_code
    assert text not in response.content.decode()


def check_api(cell, allowed, endpoint, item):
    listing = cell.get(f"/admin/api/main/{endpoint}/", {"title": item.title})
    detail = cell.get(f"/admin/api/main/{endpoint}/{item.pk}/")
    if allowed:
        assert listing.status_code == 200
        assert [found["id"] for found in listing.json()["items"]] == [item.pk]
        assert detail.status_code == 200 and detail.json()["title"] == item.title
    else:
        if listing.status_code == 200:
            assert listing.json()["items"] == []
        else:
            assert_hidden(listing, item.title)
        assert_hidden(detail, item.title)


def check_api_documents(cell, allowed):
    check_api(cell, allowed, "documents", make_document(cell.collection, cell.scope))


def check_api_images(cell, allowed):
    check_api(cell, allowed, "images", make_image(cell.collection, cell.scope))


def check_bulk(cell, allowed, url, item, title, still_there):
    response = cell.get(url, {"id": item.pk})
    if allowed:
        assert shows(response, title)
    else:
        assert_hidden(response, title)
        # Nor can it be acted on: the confirmation, posted, leaves the item alone.
        cell.client.post(f"{url}?id={item.pk}")
        assert still_there()


def check_bulk_page(cell, allowed):
    draft = make_draft(cell.home, cell.scope)
    check_bulk(
        cell,
        allowed,
        "/admin/bulk/wagtailcore/page/delete/",
        draft,
        draft.title,
        Page.objects.filter(pk=draft.pk).exists,
    )


def check_bulk_document(cell, allowed):
    document = make_document(cell.collection, cell.scope)
    check_bulk(
        cell,
        allowed,
        "/admin/bulk/wagtaildocs/document/delete/",
        document,
        document.title,
        type(document).objects.filter(pk=document.pk).exists,
    )


def check_bulk_image(cell, allowed):
    image = make_image(cell.collection, cell.scope)
    check_bulk(
        cell,
        allowed,
        "/admin/bulk/wagtailimages/image/delete/",
        image,
        image.title,
        type(image).objects.filter(pk=image.pk).exists,
    )


def make_promotion(cell) -> SearchPromotion:
    promotion = SearchPromotion.objects.create(
        site=cell.site,
        query=f"requête confidentielle {cell.scope}",
        page=cell.site.root_page,
    )
    log(instance=promotion, action="wagtail.create", user=cell.network.user("admin"))
    return promotion


def check_bulk_snippet(cell, allowed):
    promotion = make_promotion(cell)
    check_bulk(
        cell,
        allowed,
        "/admin/bulk/search/searchpromotion/delete/",
        promotion,
        promotion.query,
        SearchPromotion.objects.filter(pk=promotion.pk).exists,
    )


def check_views(cell, allowed, urls, text):
    for url in urls:
        response = cell.get(url)
        if allowed:
            assert shows(response, text), url
        else:
            assert_hidden(response, text)


def check_snippet_history(cell, allowed):
    promotion = make_promotion(cell)
    urls = [
        reverse(f"wagtailsnippets_search_searchpromotion:{view}", args=[promotion.pk])
        for view in ("history", "usage")
    ]
    check_views(cell, allowed, urls, promotion.query)


def check_choose_snippet(cell, allowed):
    promotion = make_promotion(cell)
    chooser = "/admin/snippets/choose/search/searchpromotion/"
    listing = cell.client.get(chooser, **XHR)
    chosen = cell.client.get(f"{chooser}chosen/{promotion.pk}/", **XHR)
    several = cell.client.get(f"{chooser}chosen-multiple/", {"id": promotion.pk}, **XHR)
    if cell.role == ANONYMOUS:
        assert (listing.status_code, chosen.status_code, several.status_code) == (403,) * 3
        return
    assert listing.status_code == 200 and several.status_code == 200
    assert (promotion.query in json.dumps(several.json(), ensure_ascii=False)) == allowed
    listed = promotion.query in listing.json()["html"]
    if allowed:
        assert listed
        assert chosen.status_code == 200
        assert promotion.query in chosen.json()["result"]["string"]
    else:
        assert not listed
        assert chosen.status_code == 404
        assert promotion.query not in chosen.content.decode()


def check_page_history(cell, allowed):
    draft = make_draft(cell.home, cell.scope)
    urls = [reverse(f"wagtailadmin_pages:{view}", args=[draft.pk]) for view in ("history", "usage")]
    check_views(cell, allowed, urls, draft.title)


def check_document_usage(cell, allowed):
    document = make_document(cell.collection, cell.scope)
    urls = [reverse("wagtaildocs:document_usage", args=[document.pk])]
    check_views(cell, allowed, urls, document.title)


def check_image_usage(cell, allowed):
    image = make_image(cell.collection, cell.scope)
    urls = [reverse("wagtailimages:image_usage", args=[image.pk])]
    check_views(cell, allowed, urls, image.title)


def check_download(cell, allowed):
    with override_settings(**ON_DISK):  # the serve view reads real files
        document = make_document(cell.collection, cell.scope)
        response = cell.get(document.url)
    if allowed:
        assert response.status_code in (200, 302)  # served, or redirected to the file
    else:
        assert response.status_code == 404


CHECKS = {action: globals()[f"check_{action}"] for action in ACTIONS}


@pytest.mark.parametrize(
    ("role", "action", "scope"),
    list(EXPECTED),
    ids=[f"{role}-{action}-{scope}" for role, action, scope in EXPECTED],
)
def test_matrix(network, role, action, scope):
    CHECKS[action](Cell(network, role, scope), EXPECTED[(role, action, scope)])


# --- beyond the matrix ----------------------------------------------------------------


def test_a_bulk_confirmation_names_only_what_the_user_may_see(network):
    """Ids are enumerable: a confirmation asked for one's own draft and another centre's
    names the first only."""
    own = make_draft(network.centres["irev"].home_page, "irev")
    other = make_draft(network.centres["oriv"].home_page, "oriv")
    response = network.client_for(EDITOR).get(
        f"/admin/bulk/wagtailcore/page/delete/?id={own.pk}&id={other.pk}"
    )
    markup = response.content.decode()
    assert response.status_code == 200
    assert own.title in markup
    assert other.title not in markup
    # Ids that are no ids are not found either.
    for bad in ("abc", "1.5", "%00", ""):
        response = network.client_for(EDITOR).get(
            "/admin/bulk/wagtailcore/page/delete/", {"id": bad}
        )
        assert response.status_code == 404, bad


def test_the_admin_api_counts_only_the_users_documents(network):
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    make_document(irev.collection, "irev")
    make_document(oriv.collection, "oriv")
    own = type(make_document(irev.collection, "irev2")).objects.filter(collection=irev.collection)
    answer = network.client_for(EDITOR).get("/admin/api/main/documents/", {"limit": 1}).json()
    assert answer["meta"]["total_count"] == own.count()


def test_a_document_is_public_once_a_published_page_uses_it(network, on_disk):
    """The rule of docs/permissions.md: a document no published page uses (just uploaded,
    or used by drafts only) is downloaded by those who may work on its collection only;
    once a published page links to it, by anyone; unpublished again, private again."""
    irev = network.centres["irev"]
    document = make_document(irev.collection, "irev")
    anonymous = Client(HTTP_HOST="irev.localhost")
    assert anonymous.get(document.url).status_code == 404

    draft = make_draft(irev.home_page, "irev")
    draft.body = [("document", {"document": document, "title": ""})]
    draft.save()  # a draft using it: still private
    assert anonymous.get(document.url).status_code == 404

    page = publish_page_using(document, irev.home_page)
    response = anonymous.get(document.url)
    assert response.status_code in (200, 302)

    page.unpublish()
    assert anonymous.get(document.url).status_code == 404
    # Its centre's editors still download it, from the admin or the site.
    editor = network.client_for(EDITOR, host="irev.localhost")
    assert editor.get(document.url).status_code in (200, 302)


def test_a_document_used_on_another_centres_published_page_is_public(network, on_disk):
    # The reader follows a link on ORIV's site: the document is public, wherever it lives.
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    document = make_document(irev.collection, "irev")
    publish_page_using(document, oriv.home_page)
    assert Client(HTTP_HOST="oriv.localhost").get(document.url).status_code in (200, 302)


def test_another_centres_agenda_feed_has_no_history_or_usage_to_read(network):
    oriv_agenda = AgendaPage.objects.descendant_of(network.centres["oriv"].home_page).get()
    feed = AgendaFeed.objects.create(agenda=oriv_agenda, url="https://oriv.example/agenda.ics")
    log(instance=feed, action="wagtail.create", user=network.user("editeur-oriv"))
    for view in ("history", "usage"):
        url = reverse(f"agenda_feeds:{view}", args=[feed.pk])
        assert shows(network.client_for("editeur-oriv").get(url), str(feed))
        response = network.client_for(EDITOR).get(url)
        assert response.status_code == 404
        assert str(feed) not in response.content.decode()


def test_a_document_used_only_behind_page_privacy_stays_private(network, on_disk):
    irev = network.centres["irev"]
    document = make_document(irev.collection, "irev")
    page = publish_page_using(document, irev.home_page)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert Client(HTTP_HOST="irev.localhost").get(document.url).status_code == 404
    PageViewRestriction.objects.filter(page=page).delete()
    assert Client(HTTP_HOST="irev.localhost").get(document.url).status_code in (200, 302)
