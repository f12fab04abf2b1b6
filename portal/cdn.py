"""CDN purges on publication (FRONTEND_CACHE, settings "caches") with bounded waits.

Wagtail's HTTP backend calls urlopen() with no timeout (a hung Varnish or nginx held a
publication forever) and lets a read timeout through as an exception; its Cloudflare
backend waits 30 s. Here each purge waits at most FRONTEND_CACHE_TIMEOUT seconds to
connect and for each answer, a failure is logged (the page is published all the same:
the CDN's copy expires after s-maxage), and the CDN is then left alone for a while so
the next publications do not wait again."""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings

from wagtail import __version__
from wagtail.contrib.frontend_cache.backends import cloudflare, http

import requests

from . import circuit

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30
CLOUDFLARE_API = "https://api.cloudflare.com/client/v4/zones/{}/purge_cache"


def timeout() -> float:
    return float(getattr(settings, "FRONTEND_CACHE_TIMEOUT", 0.5))


class HTTPBackend(http.HTTPBackend):
    def purge(self, url):
        breaker = circuit.for_url("cdn", f"//{self.cache_netloc}", RETRY_SECONDS)
        if breaker.is_open():
            logger.warning("CDN left alone after a failure: %s not purged", url)
            return
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = http.PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]
            ),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{__version__}"},
        )
        try:
            with urlopen(request, timeout=timeout()):  # noqa: S310 (scheme: LOCATION's)
                pass
        except HTTPError as error:  # the CDN answered: nothing to back off from
            logger.error("CDN purge of %s refused: HTTP %s", url, error.code)
        except (URLError, OSError) as error:  # refused, unreachable, timed out
            breaker.trip(error)
            logger.error("CDN purge of %s failed: %r", url, error)


class CloudflareBackend(cloudflare.CloudflareBackend):
    def _purge_urls(self, urls):
        breaker = circuit.circuit("cdn cloudflare", RETRY_SECONDS)
        if breaker.is_open():
            logger.warning("Cloudflare left alone after a failure: %d URLs not purged", len(urls))
            return
        headers = {"Content-Type": "application/json"}
        if self.cloudflare_token:
            headers["Authorization"] = f"Bearer {self.cloudflare_token}"
        else:
            headers["X-Auth-Email"] = self.cloudflare_email
            headers["X-Auth-Key"] = self.cloudflare_api_key
        try:
            response = requests.post(
                CLOUDFLARE_API.format(self.cloudflare_zoneid),
                json={"files": urls},
                headers=headers,
                timeout=timeout(),
            )
            answer = response.json()
        except ValueError:
            logger.error("Cloudflare purge: unreadable answer (HTTP %s)", response.status_code)
            return
        except requests.RequestException as error:
            breaker.trip(error)
            logger.error("Cloudflare purge of %d URLs failed: %r", len(urls), error)
            return
        if not answer.get("success"):
            messages = ", ".join(str(e.get("message")) for e in answer.get("errors", []))
            logger.error("Cloudflare purge refused: %s", messages)
