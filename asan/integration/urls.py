"""Where a webhook may point: HTTPS to a public address, never into the agency's network.

A webhook URL is chosen by another system, and the delivery worker calls it from inside the
agency's network, so a URL naming a private, loopback or link-local address (directly or
through DNS) would let that system probe internal hosts. The check runs at registration and
again before every delivery (DNS may change). The dev and test profiles may allow
``http://127.0.0.1`` receivers with ``ASAN_WEBHOOK_ALLOW_LOOPBACK`` (refused in prod).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from asan.core.text import has_control_chars, has_invisible_chars, has_lone_surrogate

MAX_URL = 2000
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


async def _addresses(host: str, port: int) -> list[str]:
    try:
        ipaddress.ip_address(host)
        return [host]
    except ValueError:
        pass
    infos = await asyncio.to_thread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


async def problem(url: str, allow_loopback: bool) -> str | None:
    """Why ``url`` may not receive deliveries (bilingual), or None."""
    if (
        len(url) > MAX_URL
        or has_control_chars(url)
        or has_invisible_chars(url)
        or has_lone_surrogate(url)
        or any(c.isspace() for c in url)
    ):
        return "URL yanlışdır / malformed URL"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "URL yanlışdır / malformed URL"
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return "URL host olmalıdır, istifadəçi adı olmadan / URL needs a host and no credentials"
    loopback_ok = allow_loopback and host in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (loopback_ok and parts.scheme == "http"):
        return "yalnız HTTPS ünvanları / only HTTPS URLs are accepted"
    if loopback_ok:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return "daxili ünvanlar qadağandır / private and loopback addresses are refused"
    try:
        addresses = await _addresses(host, port or 443)
    except (OSError, UnicodeError):
        return "host tapılmadı / host does not resolve"
    if not addresses or any(_blocked(a) for a in addresses):
        return "daxili ünvanlar qadağandır / private and loopback addresses are refused"
    return None
