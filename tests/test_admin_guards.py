"""Guards around the network's structure in the admin."""

import re

from django.urls import reverse

from wagtail.models import Page, Site, Workflow, WorkflowPage

import pytest

from centres.models import Centre, SiteIdentity

pytestmark = pytest.mark.django_db


def test_coordinator_cannot_delete_the_national_home_page(network):
    client = network.client_for("coordination")
    home = network.national_home
    response = client.post(reverse("wagtailadmin_pages:delete", args=[home.pk]))
    assert response.status_code == 302
    assert Page.objects.filter(pk=home.pk).exists()
    assert Site.objects.filter(root_page_id=home.pk).exists()


def test_coordinator_can_still_delete_an_ordinary_national_page(network):
    client = network.client_for("coordination")
    page = network.national_home.get_children().get(slug="le-reseau")
    client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert not Page.objects.filter(pk=page.pk).exists()


def test_admin_stays_french_for_an_english_browser(network):
    client = network.client_for("editeur-irev")
    html = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tableau de bord" in html
    assert "Dashboard" not in html


def test_the_sign_in_form_is_in_french(network, client):
    """Wagtail's sign-in form leaves its password field unlabelled, which Django then
    labels "Password" (portal/login.py); signing in still works."""
    from demo.seed.network import DEMO_PASSWORD

    html = client.get(reverse("wagtailadmin_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<label[^>]*for="id_password"[^>]*>\s*Mot de passe', html)
    assert "Password" not in html
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "editeur-irev", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_a_centre_added_in_the_admin_gets_its_site_collection_and_group(network):
    client = network.client_for("coordination")
    url = reverse("wagtailsnippets_centres_centre:add")
    response = client.post(
        url,
        {
            "name": "CRPV Corse",
            "slug": "crpv-corse",
            "long_name": "Centre de ressources de Corse",
            "territory": "Corse",
            "city": "Ajaccio",
            "time_zone": "Europe/Paris",
            "latitude": "41.92",
            "longitude": "8.74",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    centre = Centre.objects.get(slug="crpv-corse")
    assert centre.home_page is not None and centre.collection is not None
    assert centre.editors_group.name == "Éditeurs · CRPV Corse"
    site = Site.objects.get(hostname="crpv-corse.localhost")
    assert site.root_page_id == centre.home_page_id
    assert SiteIdentity.objects.filter(site=site).exists()
    assert "CRPV Corse" in client.get("/", HTTP_HOST="crpv-corse.localhost").content.decode()


def test_wagtail_default_moderation_workflow_is_off():
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()
    assert not WorkflowPage.objects.filter(workflow__name="Moderators approval").exists()
