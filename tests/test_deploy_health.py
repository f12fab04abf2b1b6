"""`/health/` for the load balancer: up when the database and the cache answer, 503 with
what failed otherwise, and never served from a cache."""

from django.test import Client

import pytest

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_database_and_cache_answer():
    response = Client().get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
    }


def test_health_is_never_cached(settings):
    settings.PAGE_CACHE_SECONDS = 300
    for _ in range(2):
        response = Client().get("/health/")
        assert "X-Cache" not in response
        assert "no-store" in response["Cache-Control"]


def test_health_reports_redis_down_with_503(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = Client().get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"]["ok"] is False
    assert checks["database"]["ok"] is True
