"""`/health/`: for the load balancer and monitoring. 200 when the database and the cache
answer, 503 otherwise, with what failed; never cached anywhere. Its `jobs` section says
when each scheduled job last ran and flags those overdue (portal.jobs): a monitor alerts
on them, while the load balancer keeps the server (a late statistics rollup is no reason
to stop serving pages)."""

import logging
import time
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from . import jobs

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def check_cache():
    # A fail-safe cache answers None while Redis is down: a round trip tells.
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    return ok


CHECKS = {"database": check_database, "cache": check_cache}


@never_cache
def health(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            ok = check()
        except Exception as error:  # any failure is the answer, not a 500
            logger.error("health check failed check=%s error=%s", name, error)
            ok = False
        results[name] = {"ok": ok, "ms": round((time.monotonic() - started) * 1000, 1)}
    healthy = all(result["ok"] for result in results.values())
    body = {"status": "ok" if healthy else "error", "checks": results}
    if results["database"]["ok"]:
        try:
            body["jobs"] = jobs.status()
            body["jobs_overdue"] = sorted(
                name for name, job in body["jobs"].items() if job["overdue"]
            )
        except Exception as error:  # a missing table (before migrate): said, never a 500
            logger.error("health: job status unavailable error=%s", error)
    return JsonResponse(body, status=200 if healthy else 503)
