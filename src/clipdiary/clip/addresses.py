"""Which network addresses clipdiary may fetch from.

A diary server that fetches any URL it is given could be pointed at the machine's own
services or the local network (server-side request forgery). So every connection is checked
*after* DNS resolution, on the very address that is connected to (see ``fetch.py``), and
refused when the address is not a public one, unless the diary allows private addresses.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import NoReturn

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_PRIVATE_ENV = "CLIPDIARY_ALLOW_PRIVATE_ADDRESSES"


class AddressError(Exception):
    """A host cannot be resolved, or resolves to an address that may not be fetched."""


def private_allowed(allow_private: bool = False) -> bool:
    """True if the caller or the environment (for test harnesses) allows private addresses."""
    if allow_private:
        return True
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in {"1", "true", "yes"}


def non_public_reason(address: IPAddress) -> str | None:
    """Why ``address`` is not a public address (``"private"``, ``"loopback"``…), or None."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv6 form that carries an IPv4 address reaches that IPv4 address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return non_public_reason(embedded)
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("unspecified", address.is_unspecified),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for reason, hit in checks:
        if hit:
            return reason
    # is_global also rules out shared (carrier-grade NAT) space, 100.64.0.0/10.
    return None if address.is_global else "not public"


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, in the resolver's order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressError(f"cannot resolve host {host!r}") from exc
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        # Drop an IPv6 zone ("fe80::1%eth0"); the address itself decides.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise AddressError(f"cannot resolve host {host!r}")
    return found


def checked_addresses(host: str, port: int, *, allow_private: bool) -> list[IPAddress]:
    """Resolve ``host`` and return its addresses, refusing a host with any non-public one.

    A host with one public and one private address is refused as a whole: picking the public
    one would still let a name that is meant to reach a private network through.
    """
    addresses = resolve(host, port)
    if allow_private:
        return addresses
    for address in addresses:
        reason = non_public_reason(address)
        if reason is not None:
            _refuse(host, address, reason)
    return addresses


def _refuse(host: str, address: IPAddress, reason: str) -> NoReturn:
    named = "" if host.strip("[]") == str(address) else f" ({host})"
    raise AddressError(
        f"address {address}{named} is {reason}; clipdiary fetches only public addresses"
        f" unless private ones are allowed"
    )
