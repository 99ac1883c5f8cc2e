"""``/YYYYMMDD/NAME/page``: a clip's page as it was fetched, inert, in a sandboxed frame."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from clipdiary.archive.view import CONTENT_HEADERS, archived_snapshot, content_document
from clipdiary.errors import NotFound, UsageError
from clipdiary.model import check_entry_name
from clipdiary.web.auth import pages_of, session_is_owner, store_of, viewer_of
from clipdiary.web.reader import day_of_address

router = APIRouter(include_in_schema=False)


def _address(day: str, name: str) -> None:
    if not re.fullmatch(r"\d{8}", day):
        raise NotFound("There is no page at this address.")
    try:
        check_entry_name(name)
    except UsageError as exc:
        raise NotFound("There is no page at this address.") from exc


@router.get("/{day}/{name}/page", response_class=HTMLResponse)
def archived(request: Request, day: str, name: str) -> HTMLResponse:
    _address(day, name)
    owner = session_is_owner(request)
    entry, snapshot = archived_snapshot(store_of(request), day_of_address(day), name, owner=owner)
    pages = pages_of(request)
    html = pages._page(
        "archived.html",
        viewer_of(request),
        entry=entry,
        snapshot=snapshot,
        title=f"{entry.title} (archived page)",
    )
    return HTMLResponse(html, headers={"Cache-Control": "private, no-cache"})


@router.get("/{day}/{name}/page/content", response_class=HTMLResponse)
def archived_content(request: Request, day: str, name: str) -> HTMLResponse:
    _address(day, name)
    owner = session_is_owner(request)
    store = store_of(request)
    entry, snapshot = archived_snapshot(store, day_of_address(day), name, owner=owner)
    return HTMLResponse(content_document(store, entry, snapshot), headers=CONTENT_HEADERS)
