"""Clipping from the browser: the owner's Clip form, the settings page with the
bookmarklet, and ``POST /api/clips``.

The bookmarklet runs on the article's page and posts the page *as the browser shows it*
(URL, title, rendered HTML) with a bearer token, so pages built by scripts or behind a
login clip as the reader saw them. CORS lets that cross-origin request through; it carries
no cookies, so only the token can authorise it.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel, Field

from clipdiary.clip.pipeline import ClipResult, clip_html, clip_url
from clipdiary.entry_json import entry_to_json
from clipdiary.errors import AlreadyClipped, ClipdiaryError, UsageError
from clipdiary.model import Visibility
from clipdiary.store.media import images_of
from clipdiary.web.api import EntryOut
from clipdiary.web.auth import (
    check_csrf,
    pages_of,
    require_scope,
    session_is_owner,
    store_of,
    viewer_of,
)
from clipdiary.web.bookmarklet import bookmarklet
from clipdiary.web.owner import _login_redirect, _require_owner, _split_categories
from clipdiary.web.reader import pop_flash

router = APIRouter()

CsrfField = Annotated[str | None, Form(alias="csrf_token")]
AGAIN_LABEL = "Clip again"  # the Clip form's checkbox (templates/clip.html)


class ClipIn(BaseModel):
    """A page to clip: its URL, and optionally its HTML as the browser shows it."""

    url: str = Field(max_length=4000, examples=["https://www3.nhk.or.jp/news/html/…"])
    html: str | None = Field(
        default=None, description="the page's HTML; when given, nothing is fetched"
    )
    title: str | None = Field(default=None, description="the page's title, if known")
    note: str | None = Field(default=None, description="your own words above the article")
    categories: list[str] = Field(default_factory=list, max_length=50)
    again: bool = Field(default=False, description="clip even if the diary holds it already")
    visibility: Literal["public", "private"] = Field(
        default="public", description="private: only the owner will see the clip"
    )


@router.post(
    "/api/clips",
    response_model=EntryOut,
    status_code=201,
    tags=["clips"],
    summary="Clip a page",
)
def api_clip(request: Request, payload: ClipIn, response: Response) -> Any:
    """Fetch and clip ``url``, or clip the ``html`` given (the bookmarklet sends the page
    as the browser shows it). Needs an API token. Answers with the stored entry; a page
    the diary holds already answers 409 with the earlier clip as ``clipped``."""
    require_scope(request, "clip", "clipping")
    store = store_of(request)
    try:
        result = _clip(
            store,
            payload.url,
            payload.html,
            payload.note,
            payload.categories,
            payload.again,
            payload.visibility,
        )
    except AlreadyClipped as exc:
        earlier = pages_of(request).urls.entry(exc.day, exc.name)
        detail = f'{exc}; to clip it once more, send "again": true'
        clipped = {"day": exc.day.isoformat(), "name": exc.name, "url": earlier}
        return JSONResponse(
            {"detail": detail, "clipped": {**clipped, "title": exc.title}}, status_code=409
        )
    data = entry_to_json(
        result.entry,
        store.diary,
        urls=pages_of(request).urls,
        images=images_of(store, [result.entry.id]).get(result.entry.id, []),
    )
    response.headers["Location"] = data["url"]
    if result.warnings:
        response.headers["X-Clipdiary-Warning"] = json.dumps(list(result.warnings))
    return data


def _clip(
    store: Any,
    url: str,
    html: str | None,
    note: str | None,
    categories: list[str],
    again: bool,
    visibility: Visibility,
) -> ClipResult:
    note = note.strip() if note else None
    if html is not None:
        return clip_html(
            store,
            html.encode("utf-8"),
            url,
            content_type="text/html; charset=utf-8",
            note=note,
            categories=categories,
            again=again,
            visibility=visibility,
        )
    return clip_url(
        store,
        url.strip(),
        note=note,
        categories=categories,
        again=again,
        visibility=visibility,
    )


@router.get("/clip", response_class=HTMLResponse, response_model=None, include_in_schema=False)
def clip_form(request: Request, url: str = "") -> Response:
    if not session_is_owner(request):
        return _login_redirect(request)
    form = {"url": url, "note": "", "categories": "", "private": ""}
    return HTMLResponse(pages_of(request).clip_form(viewer_of(request), form=form))


@router.post("/clip", response_model=None, include_in_schema=False)
def clip_submit(
    request: Request,
    url: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    categories: Annotated[str, Form()] = "",
    again: Annotated[str | None, Form()] = None,
    private: Annotated[str | None, Form()] = None,
    csrf_token_field: CsrfField = None,
) -> Response:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    form = {"url": url, "note": note, "categories": categories, "private": private or ""}
    try:
        result = _clip(
            store_of(request),
            url,
            None,
            note.replace("\r\n", "\n"),
            list(_split_categories(categories)),
            bool(again),
            "private" if private else "public",
        )
    except AlreadyClipped as exc:
        message = f"{exc}. To clip it once more, tick “{AGAIN_LABEL}” below."
        html = pages_of(request).clip_form(viewer_of(request), form=form, error=message)
        return HTMLResponse(html, status_code=409)
    except ClipdiaryError as exc:
        html = pages_of(request).clip_form(viewer_of(request), form=form, error=str(exc))
        return HTMLResponse(html, status_code=400)
    message = f"Clipped “{result.entry.title}”."
    if result.warnings:
        message += " " + " ".join(result.warnings)
    request.session["flash"] = message
    entry = result.entry
    return RedirectResponse(pages_of(request).urls.entry(entry.day, entry.name), status_code=303)


@router.get("/settings", response_class=HTMLResponse, response_model=None, include_in_schema=False)
def settings(request: Request) -> Response:
    if not session_is_owner(request):
        return _login_redirect(request)
    store = store_of(request)
    viewer = viewer_of(request, flash=pop_flash(request))
    return HTMLResponse(pages_of(request).settings(viewer, tokens=store.tokens(), bookmarklet=None))


@router.post("/settings/bookmarklet", include_in_schema=False)
def make_bookmarklet(request: Request, csrf_token_field: CsrfField = None) -> HTMLResponse:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    store = store_of(request)
    _, token = store.create_token("bookmarklet", scope="clip")  # it can only clip
    origin = store.diary.base_url or str(request.base_url)
    # Shown in this answer only: the token is never stored, nor put in a cookie.
    code = bookmarklet(origin, token)
    html = pages_of(request).settings(viewer_of(request), tokens=store.tokens(), bookmarklet=code)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.post("/settings/tokens/{token_id}/revoke", include_in_schema=False)
def revoke(request: Request, token_id: int, csrf_token_field: CsrfField = None) -> RedirectResponse:
    _require_owner(request)
    check_csrf(request, csrf_token_field)
    store_of(request).revoke_token(str(token_id))
    request.session["flash"] = f"Token {token_id} revoked."
    return RedirectResponse("/settings", status_code=303)


# -- moving in and out: export download, the old Hatena user name (import: imports.py) --


@router.get("/settings/export", response_model=None, include_in_schema=False)
def export_download(request: Request, format: str = "jsonl") -> Response:
    """The whole diary as a file to download (owner only)."""
    from clipdiary.formats import EXPORT_FORMATS, SUFFIXES
    from clipdiary.formats.exporter import export_diary

    if not session_is_owner(request):
        return _login_redirect(request)
    if format not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {format!r}: use {', '.join(EXPORT_FORMATS)}")
    store = store_of(request)
    spool = tempfile.SpooledTemporaryFile(max_size=8_000_000)  # noqa: SIM115 - closed below
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="\n", write_through=True)
    export_diary(store, format, text)
    text.detach()
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            yield from iter(lambda: spool.read(1 << 16), b"")

    filename = f"{store.diary.name}{SUFFIXES[format]}"
    media = {"jsonl": "application/x-ndjson", "hatena": "application/xml"}.get(
        format, "text/plain" if format == "mt" else "text/html"
    )
    return StreamingResponse(
        chunks(),
        media_type=f"{media}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/settings/hatena-user", include_in_schema=False)
def set_hatena_user(
    request: Request,
    hatena_user: Annotated[str, Form()] = "",
    csrf_token_field: CsrfField = None,
) -> RedirectResponse:
    from clipdiary.model import check_diary_name

    _require_owner(request)
    check_csrf(request, csrf_token_field)
    store = store_of(request)
    wanted = hatena_user.strip()
    store.set_setting("hatena_user", check_diary_name(wanted) if wanted else None)
    request.session["flash"] = f"Old Hatena addresses now use /{store.hatena_user}/…"
    return RedirectResponse(pages_of(request).urls.settings(), status_code=303)
