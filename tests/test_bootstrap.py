"""The production bootstrap (`manage.py bootstrap_network`, docs/deployment.md) sets up
the network's sites, centres, groups, collections, permissions and legal pages, and
nothing of the demo: no event, news item, publication, contribution, partner, example
address or account. Run as an operator would, with the production settings, in a fresh
SQLite database of the test's own (the session's database holds the demo network)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Counted in the fresh database after each run (printed as JSON by `manage.py shell`).
SNAPSHOT = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.models import Revision, Site
from agenda.models import EventPage, EventSeriesPage
from centres.models import Centre, SiteIdentity
from publications.models import (
    CollectiveContributionPage, NewsPage, Partner, PublicationPage, WorkingGroupPage,
)
example = [
    *Revision.objects.filter(content__icontains="example.org").values_list("object_str", flat=True),
    *Centre.objects.filter(contact_email__icontains="example.org").values_list("slug", flat=True),
    *SiteIdentity.objects.filter(contact_email__icontains="example.org").values_list(
        "site__hostname", flat=True
    ),
]
print(json.dumps({
    "users": get_user_model().objects.count(),
    "events": EventPage.objects.count(),
    "series": EventSeriesPage.objects.count(),
    "news": NewsPage.objects.count(),
    "publications": PublicationPage.objects.count(),
    "contributions": CollectiveContributionPage.objects.count(),
    "partners": Partner.objects.count(),
    "group_members": WorkingGroupPage.objects.filter(members__isnull=False).count(),
    "example_org": example,
    "sites": Site.objects.count(),
    "centres": Centre.objects.count(),
    "editors_groups": Group.objects.filter(name__startswith="Éditeurs · ").count(),
    "coordination": Group.objects.filter(name="Coordination nationale").count(),
    "working_groups": Group.objects.filter(name__startswith="Groupe de travail · ").count(),
    "legal_notices": SiteIdentity.objects.filter(legal_notice_page__isnull=False).count(),
    "pages": sorted(Page.objects.values_list("url_path", "live", "latest_revision_id")),
    "collections": Collection.objects.count(),
    "page_permissions": GroupPagePermission.objects.count(),
    "collection_permissions": GroupCollectionPermission.objects.count(),
}))
"""


def manage(*args, database):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "REDIS_URL", "SEARCH_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="reseau-crpv.example.org,.reseau-crpv.example.org",
        DATABASE_URL=f"sqlite:///{database}",
        S3_BUCKET="",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result


def snapshot(database):
    result = manage("shell", "-v", "0", "-c", SNAPSHOT, database=database)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_bootstrap_sets_up_the_network_without_demo_content(tmp_path):
    database = tmp_path / "production.sqlite3"
    migrate = manage("migrate", "-v", "0", database=database)
    assert migrate.returncode == 0, migrate.stderr

    first = manage("bootstrap_network", database=database)
    assert first.returncode == 0, first.stderr
    assert "Créé" in first.stdout
    after_first = snapshot(database)

    # Nothing of the demo is published, and nobody can log in.
    demo = {
        key: after_first[key]
        for key in [
            "users",
            "events",
            "series",
            "news",
            "publications",
            "contributions",
            "partners",
            "group_members",
            "example_org",
        ]
    }
    assert demo == {
        "users": 0,
        "events": 0,
        "series": 0,
        "news": 0,
        "publications": 0,
        "contributions": 0,
        "partners": 0,
        "group_members": 0,
        "example_org": [],
    }
    # The network itself is all there.
    assert after_first["sites"] == 20
    assert after_first["centres"] == 19
    assert after_first["editors_groups"] == 19
    assert after_first["coordination"] == 1
    assert after_first["working_groups"] == 12
    assert after_first["legal_notices"] == 20
    paths = {path for path, live, _ in after_first["pages"] if live}
    for path in [
        "/portail/le-reseau/",
        "/portail/mentions-legales/",
        "/portail/agenda/",
        "/portail/ressources/",
        "/portail/groupes-de-travail/sante/",
        "/irev/le-centre/",
        "/irev/agenda/",
        "/crcsur/donnees-personnelles/",
    ]:
        assert path in paths

    # Idempotent: a second run creates nothing and changes nothing.
    second = manage("bootstrap_network", database=database)
    assert second.returncode == 0, second.stderr
    assert "Rien à créer" in second.stdout
    assert snapshot(database) == after_first

    # The demo is not installed in production: its seed command does not exist there.
    seed = manage("seed_network", "--without-users", database=database)
    assert seed.returncode != 0
    assert "Unknown command: 'seed_network'" in seed.stderr
