"""Security settings as production runs them: headers on every answer, passwords the
admin accepts, and login throttling in front of the admin's login form."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

ROOT = Path(__file__).resolve().parent.parent
HOST = "reseau-crpv.example.org"

# The response headers of a request handled by the production settings, in a process of
# its own (settings are read once per process). /health/ needs no migrated database.
HEADERS_SCRIPT = f"""
import json
from django.test import Client
response = Client().get("/health/", secure=True, HTTP_HOST="{HOST}")
print(json.dumps(dict(response.items())))
"""


@pytest.fixture(scope="module")
def production_headers(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS=f"{HOST},.{HOST}",
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('db') / 'empty.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", HEADERS_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def directives(policy):
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def test_production_sends_hsts_nosniff_and_a_referrer_policy(production_headers):
    assert production_headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert production_headers["X-Content-Type-Options"] == "nosniff"
    assert production_headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert production_headers["X-Frame-Options"] == "SAMEORIGIN"


def test_production_sends_a_content_security_policy_without_inline_scripts(production_headers):
    policy = directives(production_headers["Content-Security-Policy"])
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'self'"}


@pytest.mark.django_db
def test_only_the_admin_allows_inline_scripts(network):
    public = directives(Client(HTTP_HOST="localhost").get("/")["Content-Security-Policy"])
    admin = directives(network.client_for("admin").get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in public["script-src"]
    assert "'unsafe-inline'" in admin["script-src"]
    assert admin["object-src"] == public["object-src"] == {"'none'"}


@pytest.mark.parametrize("password", ["court-2026", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unusual_password_is_accepted():
    validate_password("Quartiers-prioritaires-en-réseau-19")


LOGIN = "/admin/login/"


def attempt(username, password, address="203.0.113.7", **headers):
    return Client(REMOTE_ADDR=address, **headers).post(
        LOGIN, {"username": username, "password": password}
    )


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(
        "editeur-test", password="Un-mot-de-passe-solide-42", is_staff=True
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_a_good_password_signs_in(editor):
    response = attempt("editeur-test", "Un-mot-de-passe-solide-42")
    assert response.status_code == 302
    assert reverse("wagtailadmin_home") in response["Location"]


def test_five_failures_lock_the_account_from_that_address_even_with_the_right_password(editor):
    for _ in range(4):
        assert attempt("editeur-test", "mauvais").status_code == 200  # the form again
    assert attempt("editeur-test", "mauvais").status_code == 429  # the fifth locks
    locked = attempt("editeur-test", "Un-mot-de-passe-solide-42")
    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.content.decode()
    assert AccessAttempt.objects.filter(
        username="editeur-test", failures_since_start__gte=5
    ).exists()
    # Someone else, elsewhere, is not locked out by it.
    assert (
        attempt("editeur-test", "Un-mot-de-passe-solide-42", address="198.51.100.9").status_code
        == 302
    )


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(editor, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = "127.0.0.1"
    for _ in range(5):
        attempt("editeur-test", "mauvais", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert (
        attempt(
            "editeur-test",
            "Un-mot-de-passe-solide-42",
            address=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        ).status_code
        == 429
    )
    # Another visitor through the same proxy, even claiming the locked address first.
    assert (
        attempt(
            "editeur-test",
            "Un-mot-de-passe-solide-42",
            address=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.9",
        ).status_code
        == 302
    )
