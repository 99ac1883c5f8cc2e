"""HEAD answered wherever GET is (RFC 9110 9.3.2): feed readers and link checkers ask it.

FastAPI routes declared with ``@router.get`` answer HEAD with 405. This pure ASGI
middleware sends a HEAD through as a GET, then passes on the answer's status and headers
(Content-Length, ETag, Last-Modified: what GET would send) without its body. It sits
outside the conditional-GET middleware, so a HEAD with ``If-None-Match`` gets its 304.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Set in the scope of a HEAD sent through as GET: a handler with a side effect on GET
# (a one-time message shown, then forgotten) can leave it for the real GET.
HEAD_KEY = "clipdiary.head"


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the body's chunks are read and left out
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET", HEAD_KEY: True}, receive, without_body)


def is_head(scope: Scope) -> bool:
    return bool(scope.get(HEAD_KEY))
