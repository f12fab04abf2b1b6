"""Who may point which agenda at an iCalendar feed (Paramètres › Flux iCalendar): a matrix
of role × action × own centre / other centre / national agenda. Rights follow the page
tree: whoever may add events to an agenda may set its feed, and no one else's."""

from django.urls import reverse

import pytest

from agenda.models import AgendaPage
from interop.models import AgendaFeed

pytestmark = pytest.mark.django_db

ROLES = {"centre editor": "editeur-irev", "coordinator": "coordination", "superuser": "admin"}
# role → scope → may list/open/change/delete that agenda's feed, and create one for it
ALLOWED = {
    "centre editor": {"own": True, "other": False, "national": False},
    "coordinator": {"own": False, "other": False, "national": True},
    "superuser": {"own": True, "other": True, "national": True},
}


def agenda_for(network, scope):
    home = {
        "own": network.centres["irev"].home_page,
        "other": network.centres["oriv"].home_page,
        "national": network.national_home,
    }[scope]
    return AgendaPage.objects.child_of(home).get()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", ["own", "other", "national"])
@pytest.mark.parametrize("action", ["list", "edit", "delete", "create"])
def test_matrix(network, role, scope, action):
    client = network.client_for(ROLES[role])
    agenda = agenda_for(network, scope)
    allowed = ALLOWED[role][scope]
    if action == "create":
        response = client.post(
            reverse("agenda_feeds:add"),
            {"agenda": agenda.pk, "url": "https://ancien-site.example/agenda.ics", "enabled": "on"},
        )
        assert AgendaFeed.objects.filter(agenda=agenda).exists() == allowed
        if not allowed:
            assert response.status_code == 200  # the form says the agenda is not a choice
            assert "agenda" in response.context["form"].errors
        return
    feed = AgendaFeed.objects.create(agenda=agenda, url="https://ancien-site.example/agenda.ics")
    if action == "list":
        response = client.get(reverse("agenda_feeds:index"))
        assert response.status_code == 200
        assert (feed.url in response.content.decode()) == allowed
    elif action == "edit":
        response = client.post(
            reverse("agenda_feeds:edit", args=[feed.pk]),
            {"agenda": agenda.pk, "url": "https://nouveau-site.example/agenda.ics"},
        )
        feed.refresh_from_db()
        assert (feed.url == "https://nouveau-site.example/agenda.ics") == allowed
        if not allowed:
            assert response.status_code == 404
    else:
        response = client.post(reverse("agenda_feeds:delete", args=[feed.pk]))
        assert AgendaFeed.objects.filter(pk=feed.pk).exists() != allowed
        if not allowed:
            assert response.status_code == 404


def test_a_bad_feed_address_is_refused_with_a_reason(network):
    client = network.client_for("editeur-irev")
    response = client.post(
        reverse("agenda_feeds:add"),
        {"agenda": agenda_for(network, "own").pk, "url": "pas une adresse"},
    )
    assert response.status_code == 200 and "url" in response.context["form"].errors


def test_the_add_form_offers_only_the_users_agendas(network):
    response = network.client_for("editeur-irev").get(reverse("agenda_feeds:add"))
    choices = [pk for pk, _ in response.context["form"].fields["agenda"].choices if pk]
    assert [int(str(pk)) for pk in choices] == [agenda_for(network, "own").pk]
