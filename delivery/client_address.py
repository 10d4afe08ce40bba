"""The client's address, as every limit and every audit record sees it.

Behind a reverse proxy REMOTE_ADDR is the proxy, and the client is named in X-Forwarded-For.
That header is believed only when the hop that sent it is one of ``settings.TRUSTED_PROXIES``
(addresses or CIDR networks): starting at the TCP peer, each trusted hop hands over to the
address it appended, right to left, and the first hop we do not trust is the client. A client
talking to us directly can put anything into the header; its own address is what counts.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[IPNetwork, ...]:
    return _networks(tuple(settings.TRUSTED_PROXIES))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the IPv4 client.
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, or "" when the web server gave none."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    networks = trusted_networks()
    forwarded = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = peer
    while forwarded and any(client in network for network in networks):
        hop = _parse(forwarded.pop())
        if hop is None:  # a garbled header: stop at the last hop we could trust
            break
        client = hop
    return str(client)
