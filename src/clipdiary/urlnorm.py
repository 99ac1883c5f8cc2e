"""One key per article address, so that clipping the same page twice is noticed.

Two addresses get the same key when they differ only in what does not choose the page:
scheme and host case, a default port, a trailing ``#fragment``, tracking parameters
(``utm_*``, ``fbclid``, ``gclid`` …) and the order of the remaining query parameters.
``http`` and ``https`` stay different: some sites still serve different things on them.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "ref_url",
        "cmpid",
        "spm",
        "s_cid",
        "ncid",
        "sr_share",
        "ito",
        "__twitter_impression",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def url_key(url: str) -> str:
    """The normalised form of ``url`` used to find earlier clips of the same page."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{host}:{port}"
    # Percent-encoding differs between browsers; decode then encode one way.
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~") or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))
