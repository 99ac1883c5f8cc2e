"""Who may send a body, and how large, decided before a byte of it is read.

Without this, a visitor's 1 GB upload to the settings page's import form was received and
spooled to disk (993 MB) before the form's own owner check answered 403. Here, a request
that carries a body is refused at once when

- it is a form of the owner's pages (every non-API write but ``/login`` and ``/logout``)
  and the session is not the owner's: 403;
- it is an API write without a valid token (``Authorization: Bearer …``): 401;
- else, its ``Content-Length`` is over the limit of its address (``limit_for``): 413.

A body sent without a length is counted as it arrives and cut off at the same limit.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clipdiary.errors import PermissionDenied
from clipdiary.web.auth import bearer_token, pages_of, session_is_owner, viewer_of

MB = 1_000_000
# The settings page's import takes files up to 100 MB (web/imports.py), plus the form.
LIMITS: tuple[tuple[str, int], ...] = (
    ("/settings/import", 101 * MB),
    ("/api/clips", 64 * MB),  # a page's HTML (10 MB of text) as JSON, escaped
    ("/login", 64_000),
    ("/logout", 64_000),
)
DEFAULT_LIMIT = 16 * MB  # an entry's body, typed or sent by a script
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_OPEN_FORMS = frozenset({"/login", "/logout"})  # their handlers check what they need


def limit_for(path: str) -> int:
    for prefix, limit in LIMITS:
        if path == prefix or path.startswith(prefix + "/"):
            return limit
    return DEFAULT_LIMIT


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a body without a length passes its limit."""


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class BodyGuardMiddleware:
    """Sits inside the session middleware, so it can see who is logged in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WRITES:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = limit_for(path)
        refusal = await run_in_threadpool(_refusal, Request(scope), limit)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        received = 0
        started = over = False

        async def counted() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # the app's answer to a body cut off (FastAPI's 400) gives way to 413
            started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
        if over and not started:
            answer = await run_in_threadpool(_too_large, Request(scope), limit)
            await answer(scope, receive, send)


def _refusal(request: Request, limit: int) -> Response | None:
    """Who is asking first, then how much they say they send."""
    path = request.url.path
    if _is_api(path):
        try:
            token = bearer_token(request)
        except PermissionDenied as exc:
            return JSONResponse({"detail": str(exc)}, status_code=401)
        if token is None and not session_is_owner(request):
            return JSONResponse(
                {"detail": "writing needs an API token: 'Authorization: Bearer TOKEN'"},
                status_code=401,
            )
    elif path not in _OPEN_FORMS and not session_is_owner(request):
        message = "only the diary's owner can do this: log in first"
        html = pages_of(request).error(viewer_of(request), message)
        return HTMLResponse(html, status_code=403)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _too_large(request, limit)
    return None


def _too_large(request: Request, limit: int) -> Response:
    message = f"the request is larger than the {limit:,}-byte limit of {request.url.path}"
    if _is_api(request.url.path):
        return JSONResponse({"detail": message}, status_code=413)
    return HTMLResponse(pages_of(request).error(viewer_of(request), message), status_code=413)
