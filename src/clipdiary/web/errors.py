"""Exceptions become responses here, and only here.

Under ``/api/`` the answer is JSON ``{"detail": …}``; elsewhere a page. Before answering
404 for a page, old addresses are looked up: an entry's aliases, then the Hatena schemes.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from clipdiary.errors import (
    ClipdiaryError,
    Conflict,
    NotFound,
    OutOfScope,
    PermissionDenied,
    TooManyTries,
)
from clipdiary.legacy import legacy_target
from clipdiary.web.auth import pages_of, store_of, viewer_of
from clipdiary.web.redirects import local_path, redirect_here


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _old_address(request: Request) -> Response | None:
    store = store_of(request)
    path = request.url.path
    aliased = store.resolve_alias(path)
    if aliased is not None:
        day, name = aliased
        return redirect_here(pages_of(request).urls.entry(day, name), 301)
    target = legacy_target(path, store.hatena_user, request.url.query)
    if target is not None and target != path:
        return redirect_here(pages_of(request).urls.base_path + target, 301)
    if path != "/" and path.endswith("/"):
        # One canonical address per page: without the trailing slash. Never to another
        # site: ``//evil.example/`` is no page here, not a way to evil.example.
        decoded: str = request.scope["path"]  # request.url.path is partly re-encoded
        location = local_path(decoded.rstrip("/") or "/")
        if location is not None:
            return RedirectResponse(location, status_code=301)
    return None


def not_found_response(request: Request, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=404)
    if request.method in ("GET", "HEAD"):
        redirect = _old_address(request)
        if redirect is not None:
            return redirect
    html = pages_of(request).not_found(viewer_of(request), message)
    return HTMLResponse(html, status_code=404)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return not_found_response(request, "There is no page at this address.")
        if _is_api(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        html = pages_of(request).error(viewer_of(request), str(exc.detail))
        return HTMLResponse(html, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(ClipdiaryError)
    async def clipdiary_error(request: Request, exc: ClipdiaryError) -> Response:
        if isinstance(exc, NotFound):
            return not_found_response(request, str(exc))
        status = 400
        headers: dict[str, str] = {}
        if isinstance(exc, OutOfScope):
            status = 403
        elif isinstance(exc, PermissionDenied):
            status = 401 if _is_api(request) else 403
        elif isinstance(exc, TooManyTries):
            status, headers = 429, {"Retry-After": str(exc.retry_after)}
        elif isinstance(exc, Conflict):
            status = 409
        if _is_api(request):
            return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
        html = pages_of(request).error(viewer_of(request), str(exc))
        return HTMLResponse(html, status_code=status, headers=headers)
