"""Fetch a web page for clipping: URL → raw bytes, headers and a content hash.

Rules: http and https only; the body is streamed and the fetch stops at ``max_bytes``
(counted after content-decoding, so a compression bomb stops there too); ``timeout`` bounds
the whole fetch, every redirect included; redirects are followed here, hop by hop, at most
``max_redirects`` of them. Every TCP connection goes through a network backend that resolves
the host itself, refuses non-public addresses and connects to the very address it checked,
so neither a redirect nor a DNS answer that changes between check and use reaches a private
network. ``allow_private=True`` or ``CLIPDIARY_ALLOW_PRIVATE_ADDRESSES=1`` lifts that.

Environment proxies and ``.netrc`` are not used (``trust_env=False``): a proxy would be the
address connected to, which would defeat the address check.

Every failure is a :class:`~clipdiary.errors.FetchError` whose one-line message names the
URL and what went wrong, chained to the httpx (or other) exception behind it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import httpcore
import httpx

from clipdiary import __version__
from clipdiary.clip.addresses import AddressError, checked_addresses, private_allowed
from clipdiary.clip.charset import charset_from_content_type
from clipdiary.clip.decoding import ACCEPT_ENCODING, Decoder, DecodingError, decoder_for
from clipdiary.errors import FetchError

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/126.0 Safari/537.36 clipdiary/{__version__}"
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5"


@dataclass(frozen=True)
class FetchLimits:
    """How much a fetch may take: bytes of (decoded) body, seconds in all, redirects."""

    max_bytes: int = 10_000_000
    timeout: float = 20.0
    max_redirects: int = 5


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page as the store keeps it for a clip's snapshot.

    ``body`` is the raw page, content-decoding (gzip, br) undone but not charset-decoded;
    ``sha256`` is its hex digest. ``headers`` are the final response's, in order, names in
    lower case, repeats kept.
    """

    url: str
    requested_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    content_type: str
    header_charset: str | None
    fetched_at: dt.datetime
    sha256: str

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), None)


def local_page(
    body: bytes,
    url: str,
    *,
    content_type: str = "text/html",
    fetched_at: dt.datetime | None = None,
) -> FetchedPage:
    """Wrap a saved page (``clipdiary clip --file page.html --url URL``) as a FetchedPage.

    ``content_type`` may carry a charset (``text/html; charset=Shift_JIS``).
    """
    return FetchedPage(
        url=url,
        requested_url=url,
        status=200,
        headers=(("content-type", content_type),),
        body=body,
        content_type=_media_type(content_type) or "text/html",
        header_charset=charset_from_content_type(content_type),
        fetched_at=fetched_at or dt.datetime.now(dt.UTC),
        sha256=hashlib.sha256(body).hexdigest(),
    )


def fetch(
    url: str,
    *,
    limits: FetchLimits = DEFAULT_LIMITS,
    allow_private: bool = False,
    media_types: frozenset[str] | None = HTML_TYPES,
    accept: str = PAGE_ACCEPT,
) -> FetchedPage:
    """Fetch ``url`` within ``limits``; raise FetchError for anything that is not a page.

    ``media_types=None`` takes any Content-Type: an image's kind is read from its bytes
    (``clip/images.py``), since a server's label for it proves nothing."""
    allowed = private_allowed(allow_private)
    deadline = time.monotonic() + limits.timeout
    current = _check_url(url, url)
    transport = _GuardedTransport(allow_private=allowed)
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Language": "ja,en;q=0.8",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    with httpx.Client(
        transport=transport, headers=headers, follow_redirects=False, trust_env=False
    ) as client:
        for hop in range(limits.max_redirects + 1):
            try:
                page = _fetch_once(client, current, url, limits, deadline, media_types)
            except FetchError:
                raise
            except httpx.TimeoutException as exc:
                raise _error(current, f"timed out after {limits.timeout:g} s") from exc
            except AddressError as exc:
                raise _error(current, str(exc)) from exc
            except httpx.HTTPError as exc:
                raise _error(current, _describe(exc)) from exc
            if isinstance(page, FetchedPage):
                return page
            current = _check_url(page, url)
            if hop == limits.max_redirects:
                break
    raise FetchError(f"cannot fetch {url}: more than {limits.max_redirects} redirects", url=url)


def _fetch_once(
    client: httpx.Client,
    url: str,
    requested: str,
    limits: FetchLimits,
    deadline: float,
    media_types: frozenset[str] | None,
) -> FetchedPage | str:
    """One request: the page, or the absolute URL a redirect points to."""
    remaining = _remaining(url, limits, deadline)
    with client.stream("GET", url, timeout=httpx.Timeout(remaining)) as response:
        status = response.status_code
        if status in REDIRECT_STATUSES:
            location = response.headers.get("location")
            if not location:
                raise FetchError(f"cannot fetch {url}: HTTP {status} without a Location", url=url)
            try:
                return str(response.url.join(location))
            except httpx.InvalidURL as exc:
                raise _error(url, f"bad redirect address {location!r}") from exc
        if not 200 <= status < 300:
            reason = response.reason_phrase or ""
            raise FetchError(
                f"cannot fetch {url}: HTTP {status} {reason}".rstrip(), url=url, status=status
            )
        raw_type = response.headers.get("content-type", "")
        media_type = _media_type(raw_type)
        if media_types is not None and media_type is not None and media_type not in media_types:
            raise FetchError(f"cannot fetch {url}: not an HTML page ({media_type})", url=url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise _too_large(url, limits)
        body = _read_body(response, url, limits, deadline)
        return FetchedPage(
            url=str(response.url),
            requested_url=requested,
            status=status,
            headers=tuple(response.headers.multi_items()),
            body=body,
            content_type=media_type or "text/html",
            header_charset=charset_from_content_type(raw_type),
            fetched_at=dt.datetime.now(dt.UTC),
            sha256=hashlib.sha256(body).hexdigest(),
        )


def _read_body(response: httpx.Response, url: str, limits: FetchLimits, deadline: float) -> bytes:
    try:
        decoder = decoder_for(response.headers.get("content-encoding"))
    except DecodingError as exc:
        raise _error(url, str(exc)) from exc
    parts: list[bytes] = []
    size = 0
    try:
        for piece in _decoded(response.iter_raw(), decoder):
            size += len(piece)
            if size > limits.max_bytes:
                raise _too_large(url, limits)
            parts.append(piece)
            # httpx's timeout is per read; a server that drips bytes is caught here.
            _remaining(url, limits, deadline)
    except DecodingError as exc:
        raise _error(url, str(exc)) from exc
    return b"".join(parts)


def _decoded(raw: Iterable[bytes], decoder: Decoder) -> Iterator[bytes]:
    for chunk in raw:
        yield from decoder.feed(chunk)
    yield from decoder.finish()


def _remaining(url: str, limits: FetchLimits, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"cannot fetch {url}: timed out after {limits.timeout:g} s", url=url)
    return left


def _check_url(url: str, requested: str) -> str:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise _error(url, "not a valid address") from exc
    if parsed.scheme not in ("http", "https"):
        shown = parsed.scheme or "no scheme"
        where = "" if url == requested else f" (redirected from {requested})"
        raise FetchError(
            f"cannot fetch {url}{where}: only http and https addresses can be clipped, not {shown}",
            url=url,
        )
    if not parsed.host:
        raise FetchError(f"cannot fetch {url}: the address has no host", url=url)
    return str(parsed)


def _media_type(content_type: str) -> str | None:
    media = content_type.split(";", 1)[0].strip().lower()
    return media or None


def _too_large(url: str, limits: FetchLimits) -> FetchError:
    return FetchError(
        f"cannot fetch {url}: the page is larger than the {limits.max_bytes:,}-byte limit",
        url=url,
    )


def _error(url: str, what: str) -> FetchError:
    return FetchError(f"cannot fetch {url}: {what}", url=url)


def _describe(exc: httpx.HTTPError) -> str:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect ({detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol ({detail})"
    if isinstance(exc, httpx.NetworkError):
        return f"the connection failed ({detail})"
    return f"{type(exc).__name__}: {detail}"


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolve, check and connect to the checked address: no window for DNS rebinding."""

    def __init__(self, *, allow_private: bool) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, allow_private=self._allow_private)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise AddressError("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, *, allow_private: bool) -> None:
        super().__init__(trust_env=False)
        # httpx has no public hook for the network backend: swap in a pool that uses ours.
        # TLS still verifies the URL's host name: httpcore sends it as SNI, not the address.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(allow_private=allow_private),
        )
