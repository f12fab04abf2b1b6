"""The permission matrix for offers: every role × action × scope (IREV, the editor's own
centre; ORIV, another centre; the portal), answered by the real admin views on each
site's `/offres/` listing, with the effect checked in the database."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from offers.models import OfferIndexPage, OfferKind, OfferPage

from .test_permissions import ADMIN, ANONYMOUS, COORDINATION, EDITOR, Cell, assert_refused

pytestmark = pytest.mark.django_db

MEMBER = "gt-sante"  # an editor of IREV who belongs to the Santé working group
ROLES = (ADMIN, COORDINATION, EDITOR, MEMBER, ANONYMOUS)
SCOPES = ("irev", "oriv", "national")
ACTIONS = ("add", "edit", "publish", "unpublish", "delete")

Y, N = True, False
# Columns follow SCOPES: irev, oriv, national.
# fmt: off
TABLE = {
    ADMIN:        {"add": (Y, Y, Y), "edit": (Y, Y, Y), "publish": (Y, Y, Y), "unpublish": (Y, Y, Y), "delete": (Y, Y, Y)},  # noqa: E501
    COORDINATION: {"add": (N, N, Y), "edit": (N, N, Y), "publish": (N, N, Y), "unpublish": (N, N, Y), "delete": (N, N, Y)},  # noqa: E501
    EDITOR:       {"add": (Y, N, N), "edit": (Y, N, N), "publish": (Y, N, N), "unpublish": (Y, N, N), "delete": (Y, N, N)},  # noqa: E501
    MEMBER:       {"add": (Y, N, N), "edit": (Y, N, N), "publish": (Y, N, N), "unpublish": (Y, N, N), "delete": (Y, N, N)},  # noqa: E501
    ANONYMOUS:    {"add": (N, N, N), "edit": (N, N, N), "publish": (N, N, N), "unpublish": (N, N, N), "delete": (N, N, N)},  # noqa: E501
}
# fmt: on
EXPECTED = {
    (role, action, scope): allowed
    for role, rows in TABLE.items()
    for action, cells in rows.items()
    for scope, allowed in zip(SCOPES, cells, strict=True)
}


def test_the_table_has_exactly_one_answer_per_cell():
    assert set(EXPECTED) == {(r, a, s) for r in ROLES for a in ACTIONS for s in SCOPES}


def closing():
    return timezone.localdate() + timedelta(days=20)


def offer_form(title, slug, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "kind": OfferKind.JOB,
            "organisation": "Ville de Roubaix",
            "place": "Roubaix",
            "territory": "",
            "contract": "CDI",
            "closing_date": closing().isoformat(),
            "summary": "",
            "link": "",
            "document": "",
            "cover_image": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def listing_of(cell):
    return OfferIndexPage.objects.child_of(cell.home).get()


def make_offer(cell, *, live=False):
    listing = listing_of(cell)
    page = OfferPage(
        title=f"Offre confidentielle {cell.scope}",
        slug=f"offre-{cell.scope}",
        kind=OfferKind.JOB,
        organisation="Ville de Roubaix",
        closing_date=closing(),
        live=False,
    )
    listing.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
        page.refresh_from_db()
    return page


def check_add(cell, allowed):
    listing = listing_of(cell)
    url = reverse("wagtailadmin_pages:add", args=["offers", "offerpage", listing.pk])
    slug = f"nouvelle-offre-{cell.scope}"
    form = cell.client.get(url)
    response = cell.client.post(url, offer_form("Nouvelle offre", slug))
    created = OfferPage.objects.filter(slug=slug)
    if allowed:
        assert form.status_code == 200
        assert response.status_code == 302, response.content.decode()[:2000]
        page = created.get()
        assert page.get_parent().pk == listing.pk and not page.live
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert not created.exists()


def check_edit(cell, allowed):
    offer = make_offer(cell)
    url = reverse("wagtailadmin_pages:edit", args=[offer.pk])
    revisions = offer.revisions.count()
    form = cell.client.get(url)
    response = cell.client.post(url, offer_form("Offre modifiée", offer.slug))
    offer.refresh_from_db()
    if allowed:
        assert form.status_code == 200
        assert response.status_code == 302 and response["Location"] == url
        assert offer.revisions.count() == revisions + 1
        assert offer.get_latest_revision().content["title"] == "Offre modifiée"
    else:
        assert_refused(form, cell.role)
        assert_refused(response, cell.role)
        assert offer.revisions.count() == revisions


def check_publish(cell, allowed):
    offer = make_offer(cell)
    url = reverse("wagtailadmin_pages:edit", args=[offer.pk])
    response = cell.client.post(
        url, offer_form("Offre publiée", offer.slug, **{"action-publish": "action-publish"})
    )
    offer.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert offer.live and offer.title == "Offre publiée"
    else:
        assert_refused(response, cell.role)
        assert not offer.live and offer.live_revision_id is None


def check_unpublish(cell, allowed):
    offer = make_offer(cell, live=True)
    url = reverse("wagtailadmin_pages:unpublish", args=[offer.pk])
    confirm = cell.client.get(url)
    response = cell.client.post(url)
    offer.refresh_from_db()
    if allowed:
        assert confirm.status_code == 200
        assert response.status_code == 302
        assert not offer.live
    else:
        assert_refused(confirm, cell.role)
        assert_refused(response, cell.role)
        assert offer.live


def check_delete(cell, allowed):
    offer = make_offer(cell)
    url = reverse("wagtailadmin_pages:delete", args=[offer.pk])
    confirm = cell.client.get(url)
    response = cell.client.post(url)
    still_there = OfferPage.objects.filter(pk=offer.pk).exists()
    if allowed:
        assert confirm.status_code == 200
        assert response.status_code == 302
        assert not still_there
    else:
        assert_refused(confirm, cell.role)
        assert_refused(response, cell.role)
        assert still_there


CHECKS = {
    "add": check_add,
    "edit": check_edit,
    "publish": check_publish,
    "unpublish": check_unpublish,
    "delete": check_delete,
}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_offer_permission_cell(network, role, action, scope):
    CHECKS[action](Cell(network, role, scope), EXPECTED[(role, action, scope)])
