"""gunicorn's configuration for production: `gunicorn -c portal/gunicorn.conf.py`
(docs/deployment.md). Every value can be changed from the environment."""

import multiprocessing
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
# Django's log lines go to stdout with gunicorn's own, one parseable line each.
os.environ.setdefault("LOG_STREAM", "stdout")

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads serve the slow clients and the database waits; processes use the cores.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # large uploads go through here
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so a slow leak never grows for weeks. Every page
# view also sends a statistics beacon: at 1,000 beacons a second a limit of 2,000 would
# restart each worker every few seconds (Django's start, crawlerdetect's expression,
# the statistics maps refilled: seconds of CPU each time), so the limit counts in
# hundreds of thousands; a worker still lives a few minutes at that rate.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
# The reverse proxy on this machine sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
# key=value like Django's lines. No client address nor user agent: the portal promises
# its visitors (privacy page) that it keeps neither.
access_log_format = (
    'time=%(t)s method=%(m)s host=%({host}i)s path="%(U)s" query="%(q)s" status=%(s)s '
    "bytes=%(B)s ms=%(M)s cache=%({x-cache}o)s"
)
