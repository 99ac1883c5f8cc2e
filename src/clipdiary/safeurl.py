"""Addresses that may become a link (``href``) or an image (``src``): http(s) only.

A URL given as data (an entry's source, a clipped page's address) is checked where it comes
in (``check_web_url``: the API, the importers, the clipper, the store) and again where a page
writes it (``web_url``, a Jinja filter), so that a value stored before the check existed, or
by a way in that forgot it, still cannot become a ``javascript:`` link.

The check reads the text as a browser would. A browser drops ASCII tabs and newlines
anywhere in a URL and spaces and control characters at its ends, and compares schemes without
regard to case: ``java\\nscript:``, `` javascript:`` and ``JaVaScRiPt:`` all run. So the text
must *begin* with ``http://`` or ``https://`` (any case), hold no control character at all,
and name a host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from clipdiary.errors import UsageError

#: Longer addresses are refused: no real page needs one, and every copy is stored and shown.
MAX_URL_LENGTH = 8192

_WEB = re.compile(r"https?://[^/?#\\\s]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_web_url(url: object) -> bool:
    """Whether ``url`` is an http(s) address with a host, safe to put in ``href``/``src``."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        return False
    if not _WEB.match(url) or _CONTROL.search(url) or url != url.strip():
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # a malformed IPv6 literal or port
        return False


def check_web_url(url: object, field: str) -> str:
    """``url`` when it is an http(s) address; else UsageError naming ``field``."""
    if is_web_url(url):
        assert isinstance(url, str)
        return url
    if not isinstance(url, str):
        raise UsageError(f"{field} must be an http(s) address, not {type(url).__name__}")
    if len(url) > MAX_URL_LENGTH:
        raise UsageError(f"{field} is longer than {MAX_URL_LENGTH:,} characters")
    raise UsageError(f"{field} must be an http(s) address (https://…), not {url[:80]!r}")


def web_url(url: object) -> str:
    """The Jinja filter: ``url`` when it is safe in ``href``/``src``, else "" (no link)."""
    return url if is_web_url(url) and isinstance(url, str) else ""
