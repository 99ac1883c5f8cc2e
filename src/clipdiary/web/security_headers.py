"""The headers a careful site sends, on every answer.

- ``Content-Security-Policy``: scripts only from this site's files (the live pages have no
  inline script at all), styles from its stylesheet plus the few inline ``style`` attributes
  the sanitizer lets through, images from this site and ``data:`` only (a remote image in an
  entry is a link, not a tracking pixel), no plugins, no ``<base>``, forms post only here,
  and no other site may frame any page (``frame-ancestors 'none'``: the owner's buttons
  cannot be clickjacked). An answer that sets its own policy (the archived page's frame)
  keeps it.
- ``X-Frame-Options: DENY`` for browsers older than ``frame-ancestors``;
  ``X-Content-Type-Options: nosniff``; ``Referrer-Policy: same-origin`` (a click on a source
  link does not tell the news site which diary page it came from); a ``Permissions-Policy``
  that turns off camera, microphone and location; ``Cross-Origin-Opener-Policy``.
- Over HTTPS (the request's scheme; behind a proxy, ``serve --behind-proxy`` makes uvicorn
  take it from ``X-Forwarded-Proto``): every cookie is marked ``Secure``, and
  ``Strict-Transport-Security`` is sent.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-src 'self'",
        "frame-ancestors 'none'",
    )
)
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = POLICY
                    headers.setdefault("X-Frame-Options", "DENY")
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, with_headers)


def _secure_cookies(headers: MutableHeaders) -> None:
    cookies = headers.getlist("set-cookie")
    if not cookies:
        return
    del headers["set-cookie"]
    for cookie in cookies:
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        headers.append("set-cookie", cookie if "secure" in flags else cookie + "; Secure")
