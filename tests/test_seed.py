"""The seed command builds the whole network and a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    PageLogEntry,
    Revision,
    Site,
)

import pytest

from centres.models import Centre, SiteIdentity

pytestmark = pytest.mark.django_db

MODELS = [
    Page,
    Revision,
    PageLogEntry,
    Site,
    Collection,
    Group,
    GroupPagePermission,
    GroupCollectionPermission,
    GroupSitePermission,
    Centre,
    SiteIdentity,
]


def snapshot():
    state = {model.__name__: model.objects.count() for model in MODELS}
    state["users"] = get_user_model().objects.count()
    state["pages"] = sorted(Page.objects.values_list("url_path", "live", "latest_revision_id"))
    state["identities"] = sorted(
        SiteIdentity.objects.values_list("site_id", "accent_colour", "tagline")
    )
    return state


def test_seeded_network_has_every_part():
    assert Site.objects.count() == 20
    assert Centre.objects.count() == 19
    # Wagtail's default groups (rights over the whole tree) are gone.
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert Group.objects.filter(name__startswith="Éditeurs · ").count() == 19
    assert Group.objects.filter(name="Coordination nationale").exists()
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {"admin", "coordination"} <= usernames
    assert {f"editeur-{c.slug}" for c in Centre.objects.all()} <= usernames
    for centre in Centre.objects.select_related("collection", "editors_group"):
        assert centre.collection is not None and centre.editors_group is not None
        assert SiteIdentity.for_site(centre.site).legal_notice_page is not None
        assert centre.editors_group.user_set.filter(username=f"editeur-{centre.slug}").exists()


def test_running_the_command_twice_changes_nothing(capsys):
    before = snapshot()
    call_command("seed_network")
    assert snapshot() == before
    assert "Rien à créer" in capsys.readouterr().out


def test_a_second_run_keeps_what_editors_changed():
    identity = SiteIdentity.objects.get(site__hostname="irev.localhost")
    identity.accent_colour = "#000000"
    identity.save()
    page = Page.objects.get(url_path="/irev/le-centre/")
    page.title = "Qui sommes-nous ?"
    page.save()
    call_command("seed_network")
    identity.refresh_from_db()
    page.refresh_from_db()
    assert identity.accent_colour == "#000000"
    assert page.title == "Qui sommes-nous ?"


def test_demo_passwords_are_printed_and_work(capsys):
    call_command("seed_network")
    out = capsys.readouterr().out
    assert "DÉMONSTRATION" in out and "editeur-irev" in out
    user = get_user_model().objects.get(username="editeur-irev")
    assert user.check_password("demo-rncrpv-2026")


def test_without_users_creates_no_demo_account():
    get_user_model().objects.filter(username="editeur-oriv").delete()
    call_command("seed_network", "--without-users")
    assert not get_user_model().objects.filter(username="editeur-oriv").exists()
