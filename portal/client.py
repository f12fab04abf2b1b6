"""Who is asking: the client's address, for everything keyed by it (the open API's rate
limit, the login lockout, the audience statistics' visitor key).

Behind a reverse proxy every request comes from the proxy, which appends the address it
saw to X-Forwarded-For. Only the entries appended by proxies of our own can be believed:
everything to their left is whatever the client wrote. TRUSTED_PROXIES names those
proxies (addresses or networks); walking the header from the right, the first address
that is not one of them is the client. Without TRUSTED_PROXIES (or when the socket's
peer is not a trusted proxy) the header is ignored and the peer is the client."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is no address") from error
    return tuple(networks)


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) is that IPv4 client.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address, networks) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request) -> str:
    """The client's address as text ("" when the server gave none)."""
    peer = request.META.get("REMOTE_ADDR") or ""
    networks = trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks:
        return peer
    current = _address(peer)
    if current is None or not _trusted(current, networks):
        return peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not entry.strip():
            continue
        address = _address(entry)
        if address is None:
            # Not an address: no proxy of ours wrote that; the hop that handed it over
            # is the last one known.
            break
        current = address
        if not _trusted(address, networks):
            break
    return str(current)
