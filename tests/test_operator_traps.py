"""Small operator traps: the headers of a served document, `/health/` behind production's
HTTPS redirect, and the address `make run` listens on."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import Client

from wagtail.documents import get_document_model

import pytest

from tests.reads_fixtures import publish_page_using

ROOT = Path(__file__).resolve().parent.parent
HOST = "reseau-crpv.example.org"


@pytest.mark.django_db
def test_a_served_document_has_no_content_encoding_none(network, settings, tmp_path):
    # Local files, as `make run` and a server without S3 keep them: Wagtail serves them
    # through its sendfile helper, which wrote the header.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "portal.storage.KeepNameFileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path
    document = get_document_model().objects.create(
        title="Rapport",
        file=ContentFile(b"%PDF-1.4 rapport", name="rapport.pdf"),
        collection=network.centres["irev"].collection,
    )
    # A document is public once a published page uses it (docs/permissions.md).
    publish_page_using(document, network.centres["irev"].home_page)
    response = Client(HTTP_HOST="irev.localhost").get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 rapport"
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Encoding" not in response, response.get("Content-Encoding")


PLAIN_HTTP_SCRIPT = f"""
import json
from django.test import Client
client = Client(HTTP_HOST="{HOST}")
print(json.dumps({{path: [r.status_code, r.get("Location")]
                  for path in ("/health/", "/", "/admin/")
                  for r in [client.get(path)]}}))
"""


def test_health_answers_plain_http_under_production_settings(tmp_path):
    """A monitor calling the application server directly (no proxy, no X-Forwarded-Proto)
    gets its answer; every other address still goes to HTTPS."""
    import json

    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS=f"{HOST},.{HOST}",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", PLAIN_HTTP_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["/health/"][0] == 200, answers
    assert answers["/"] == [301, f"https://{HOST}/"], answers
    assert answers["/admin/"] == [301, f"https://{HOST}/admin/"], answers


def test_make_run_listens_on_the_loopback_by_default():
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"runserver 127\.0\.0\.1:8000\b", dry_run), dry_run
    elsewhere = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert "runserver 0.0.0.0:8000" in elsewhere
    assert "HOST=0.0.0.0" in (ROOT / "README.md").read_text()
