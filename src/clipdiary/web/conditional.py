"""Conditional GET: an ``ETag`` from a hash of the body, and 304 when the client has it.

A pure ASGI middleware. It buffers only successful ``GET`` answers of the kinds
it knows (HTML pages, Atom feeds), which are built whole in memory anyway; anything that
streams or already has its own validator (static files) passes through untouched.
``If-None-Match`` wins over ``If-Modified-Since`` (RFC 9110 13.2.2); the latter is only
honoured when the answer carries a ``Last-Modified`` (the feeds do).
"""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUFFERED_TYPES = ("text/html", "application/atom+xml")
# Headers a 304 must not carry (RFC 9110 15.4.5: it has no content).
_CONTENT_HEADERS = ("content-length", "content-type", "content-encoding")


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in wanted


def _not_modified_since(if_modified_since: str, last_modified: str) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since)
        modified = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None or modified.tzinfo is None:
        return False
    return modified <= since


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        start: Message | None = None
        chunks: list[bytes] = []
        passing_through = False

        async def buffered_send(message: Message) -> None:
            nonlocal start, passing_through
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                kind = headers.get("content-type", "").split(";")[0].strip()
                if message["status"] != 200 or "etag" in headers or kind not in BUFFERED_TYPES:
                    passing_through = True
                    await send(message)
                    return
                start = message
                return
            if passing_through or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._answer(start, b"".join(chunks), request_headers, send)

        await self.app(scope, receive, buffered_send)

    async def _answer(self, start: Message, body: bytes, request: Headers, send: Send) -> None:
        headers = MutableHeaders(raw=list(start["headers"]))
        etag = etag_of(body)
        headers["etag"] = etag
        if_none_match = request.get("if-none-match")
        if if_none_match is not None:
            fresh = _matches(if_none_match, etag)
        else:
            since = request.get("if-modified-since")
            last_modified = headers.get("last-modified")
            fresh = bool(since and last_modified and _not_modified_since(since, last_modified))
        if fresh:
            for name in _CONTENT_HEADERS:
                if name in headers:
                    del headers[name]
            await send({"type": "http.response.start", "status": 304, "headers": headers.raw})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body})
