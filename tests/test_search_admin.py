"""Admin of search: promoted results per site and what visitors search for, as a
permission matrix (role × action × IREV = own centre / ORIV = another centre /
national), answered by the real admin views over HTTP, with the effect checked in the
database."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from search.models import QueryDay, SearchPromotion

pytestmark = pytest.mark.django_db

COORDINATION, EDITOR, ANONYMOUS = "coordination", "editeur-irev", "anonyme"
SCOPES = ("irev", "oriv", "national")
# Who may pin results / read figures on which site.
ALLOWED = {
    COORDINATION: {"irev", "oriv", "national"},
    EDITOR: {"irev"},
    ANONYMOUS: set(),
}


def site_of(network, scope):
    return network.national_site if scope == "national" else network.centres[scope].site


def client_of(network, role):
    return Client(HTTP_HOST="localhost") if role == ANONYMOUS else network.client_for(role)


def url(action, *args):
    return reverse(f"wagtailsnippets_search_searchpromotion:{action}", args=args)


@pytest.mark.parametrize("role", [COORDINATION, EDITOR, ANONYMOUS])
@pytest.mark.parametrize("scope", SCOPES)
def test_add_a_promotion(network, role, scope):
    site = site_of(network, scope)
    client = client_of(network, role)
    response = client.post(
        url("add"),
        {
            "site": site.pk,
            "query": "Logement Social",
            "page": site.root_page_id,
            "description": "",
            "sort_order": 0,
        },
    )
    created = SearchPromotion.objects.filter(site=site, query="logement social")
    if scope in ALLOWED[role]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert created.count() == 1
    else:
        assert not created.exists()
        if role == ANONYMOUS:
            assert response.status_code == 302 and "/login/" in response["Location"]
        elif response.status_code == 200:  # the form refuses a site not offered
            assert "Sélectionnez un choix valide" in response.content.decode()


@pytest.mark.parametrize("role", [COORDINATION, EDITOR, ANONYMOUS])
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("action", ["edit", "delete"])
def test_edit_and_delete_a_promotion(network, role, scope, action):
    site = site_of(network, scope)
    pin = SearchPromotion.objects.create(site=site, query="emploi", page=site.root_page)
    client = client_of(network, role)
    if action == "edit":
        response = client.post(
            url("edit", pin.pk),
            {
                "site": site.pk,
                "query": "emploi des jeunes",
                "page": site.root_page_id,
                "sort_order": 0,
            },
        )
        changed = SearchPromotion.objects.get(pk=pin.pk).query == "emploi des jeunes"
    else:
        response = client.post(url("delete", pin.pk))
        changed = not SearchPromotion.objects.filter(pk=pin.pk).exists()
    assert changed == (scope in ALLOWED[role]), response.status_code
    if scope not in ALLOWED[role] and role != ANONYMOUS:
        assert response.status_code in (302, 403, 404)


@pytest.mark.parametrize("role", [COORDINATION, EDITOR])
def test_list_shows_only_the_sites_a_user_works_for(network, role):
    for scope in SCOPES:
        site = site_of(network, scope)
        SearchPromotion.objects.create(site=site, query=f"requete {scope}", page=site.root_page)
    html = client_of(network, role).get(url("list")).content.decode()
    for scope in SCOPES:
        assert (f"requete {scope}" in html) == (scope in ALLOWED[role])


@pytest.mark.parametrize("role", [COORDINATION, EDITOR, ANONYMOUS])
@pytest.mark.parametrize("scope", SCOPES)
def test_search_figures_per_site(network, role, scope):
    site = site_of(network, scope)
    today = timezone.localdate()
    QueryDay.objects.create(site=site, date=today, query=f"chomage {scope}", hits=7, empty_hits=0)
    QueryDay.objects.create(
        site=site, date=today - timedelta(days=1), query=f"chomage {scope}", hits=3, empty_hits=0
    )
    QueryDay.objects.create(
        site=site, date=today, query=f"introuvable {scope}", hits=2, empty_hits=2
    )
    QueryDay.objects.create(
        site=site, date=today - timedelta(days=60), query=f"ancien {scope}", hits=50, empty_hits=50
    )
    response = client_of(network, role).get(reverse("search_terms"), {"site": site.pk, "days": 30})
    if not ALLOWED[role]:
        assert response.status_code == 302 and "/login/" in response["Location"]
        return
    html = response.content.decode()
    shown = scope in ALLOWED[role]
    assert (f"<td>chomage {scope}</td><td>10</td>" in html) == shown
    assert (f"<td>introuvable {scope}</td><td>2</td>" in html) == shown
    # Outside the period: not counted.
    assert f"ancien {scope}" not in html
    if shown:
        wider = client_of(network, role).get(reverse("search_terms"), {"site": site.pk, "days": 90})
        assert f"<td>ancien {scope}</td><td>50</td>" in wider.content.decode()


def test_figures_menu_item_and_bad_parameters(network):
    client = network.client_for(EDITOR)
    assert client.get(reverse("search_terms"), {"site": "abc", "days": "-5"}).status_code == 200
    assert client.get(reverse("search_terms"), {"site": "999999", "days": "x"}).status_code == 200


# The field's synonyms are network-wide: the coordination's alone.
SYNONYM_ALLOWED = {COORDINATION: True, EDITOR: False, ANONYMOUS: False}


@pytest.mark.parametrize("role", [COORDINATION, EDITOR, ANONYMOUS])
def test_synonyms_are_the_coordinations(network, role):
    from search.models import Synonym

    client = client_of(network, role)
    listing = client.get(reverse("wagtailsnippets_search_synonym:list"))
    response = client.post(
        reverse("wagtailsnippets_search_synonym:add"),
        {"expressions": "CTG\nconvention territoriale globale", "note": ""},
    )
    created = Synonym.objects.filter(expressions__startswith="CTG")
    existing = Synonym.objects.first()
    edit = client.get(reverse("wagtailsnippets_search_synonym:edit", args=[existing.pk]))
    if SYNONYM_ALLOWED[role]:
        assert listing.status_code == 200 and edit.status_code == 200
        assert response.status_code == 302 and created.count() == 1
    else:
        assert listing.status_code in (302, 403) and edit.status_code in (302, 403)
        assert not created.exists()


def test_a_synonym_needs_two_expressions(network):
    from search.models import Synonym

    client = client_of(network, COORDINATION)
    before = Synonym.objects.count()
    response = client.post(
        reverse("wagtailsnippets_search_synonym:add"), {"expressions": "CTG", "note": ""}
    )
    assert response.status_code == 200
    assert "au moins deux expressions" in response.content.decode()
    assert Synonym.objects.count() == before
