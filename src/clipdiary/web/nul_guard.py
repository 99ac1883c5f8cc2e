"""An address holding a NUL character (``%00``) is answered before it reaches the database:
PostgreSQL refuses NUL in text, so the alias lookup of such a path answered 500."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send


class NulGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            query: bytes = scope.get("query_string", b"")
            if "\x00" in path:
                await _refuse(path, 404, "There is no page at this address.")(scope, receive, send)
                return
            if b"\x00" in unquote_to_bytes(query):
                message = "the address's query holds a NUL character (%00)"
                await _refuse(path, 400, message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refuse(path: str, status: int, message: str) -> Response:
    if path == "/api" or path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return HTMLResponse(f"<!doctype html><title>{status}</title><p>{message}</p>", status)
