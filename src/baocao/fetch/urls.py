"""URLs from a manifest: which may be fetched, how they are shown, where they may lead.

- :func:`check_url` says why a URL may not be fetched: not absolute http(s), malformed
  (``http://[::1/x.pdf``), or holding white space or control characters (a URL with a
  space is a copy-paste slip that servers answer unpredictably, not a connection to
  retry). It never raises.
- :func:`redact` hides the password of a ``user:password@host`` URL; every URL baocao
  prints or stores goes through it.
- :func:`private_address` and :func:`host_is_private` say whether an address is one a
  redirect must not lead to (private, loopback, link-local, reserved): a public page that
  answers with a redirect to ``http://169.254.169.254/`` or ``http://10.0.0.5/admin``
  would otherwise make baocao fetch from the operator's own network.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

ALLOWED_SCHEMES = ("http", "https")


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what raises for "host:99999"
    except ValueError:
        return None
    return parts


def check_url(url: str) -> str | None:
    """Why ``url`` may not be fetched (None when it may): only absolute http(s) URLs,
    well formed, without white space or control characters."""
    if not url:
        return "empty url"
    if any(ch.isspace() for ch in url):
        return "not a valid URL (it contains white space; write a space as %20)"
    if not url.isprintable():
        return "not a valid URL (it contains control characters)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018
    except ValueError as err:
        return f"not a valid URL ({err})"
    scheme = parts.scheme.lower()
    if not scheme:
        return "not an http(s) URL (no scheme)"
    if scheme not in ALLOWED_SCHEMES:
        return f"not an http(s) URL (scheme {scheme}:)"
    if not parts.hostname:
        return "not an http(s) URL (no host)"
    return None


def redact(url: str) -> str:
    """``url`` with the password of its ``user:password@`` part replaced by ``***``."""
    parts = _split(url)
    if parts is None or parts.password is None:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return parts._replace(netloc=f"{user}:***@{hostport}").geturl()


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) of a ``user:password@`` URL, percent-decoded, else None."""
    from urllib.parse import unquote

    parts = _split(url)
    if parts is None or parts.username is None:
        return None
    return unquote(parts.username), unquote(parts.password or "")


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``: credentials are sent only to their own origin."""
    parts = _split(url)
    if parts is None:
        return ("", "", None)
    return (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)


def private_address(address: str) -> bool:
    """Whether an IP address is private, loopback, link-local, reserved, multicast or
    unspecified (anything but the public internet)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def host_is_private(host: str) -> bool:
    """Whether ``host`` (a name or an address) is, or resolves to, a private address; a
    name that does not resolve is not (the request itself will fail)."""
    host = host.strip("[]")
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    else:
        return private_address(host)
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    return any(private_address(str(info[4][0])) for info in infos)
