"""Redirects that stay on this site: every ``Location`` the web app builds from a request.

A browser reads a ``Location`` more loosely than a server writes it: ``//host``, ``/\\host``
and ``/<tab>/host`` all lead to another site (backslashes count as slashes, tabs and newlines
are dropped, any run of slashes after the scheme is skipped). So a path taken from a request
(the address asked for, ``next=`` of the login form) is only redirected to when it is one
slash and then a path segment, with no backslash, whitespace or control character; anything
else is percent-encoded (a path from the router) or refused (a target a client supplied).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from fastapi.responses import RedirectResponse

# Characters of a path kept as they are when a decoded path is written as a Location.
_PATH_SAFE = "/!$&'()*+,;=:@-._~"
# ... and of a whole address (path, query, fragment), which arrives already encoded.
_TARGET_SAFE = _PATH_SAFE + "?#%[]"
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")
MAX_TARGET = 2000


def _stays_here(location: str) -> bool:
    return location.startswith("/") and not location.startswith("//")


def local_path(path: str) -> str | None:
    """A decoded request path as a Location on this site; None if it would leave it
    (``//evil.example``, however it was spelled in the request) or is no page's address
    (``.`` and ``..`` segments, which the browser would resolve into another path)."""
    location = quote(path, safe=_PATH_SAFE)
    if not _stays_here(location) or {".", ".."} & set(location.split("/")):
        return None
    return location


def local_target(target: str | None, fallback: str = "/") -> str:
    """An address a client supplied (``next=``) when it is a path on this site; else
    ``fallback``."""
    if not target or len(target) > MAX_TARGET or _UNSAFE.search(target):
        return fallback
    if not _stays_here(target):
        return fallback
    try:
        parts = urlsplit(target)
    except ValueError:
        return fallback
    if parts.scheme or parts.netloc:
        return fallback
    return quote(target, safe=_TARGET_SAFE)  # any other character (non-ASCII) encoded


def redirect_here(target: str, status_code: int) -> RedirectResponse:
    """A redirect to ``target``, an address this app built; "/" should it ever not be local."""
    return RedirectResponse(local_target(target), status_code=status_code)
