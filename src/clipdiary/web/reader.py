"""The pages every visitor can read: top, day, entry, month, same date, archive, category."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from clipdiary.errors import NotFound, UsageError
from clipdiary.model import check_entry_name, parse_day
from clipdiary.pages import PageBuilder
from clipdiary.web.auth import viewer_of

router = APIRouter(include_in_schema=False)


def _pages(request: Request) -> PageBuilder:
    pages: PageBuilder = request.app.state.pages
    return pages


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


def _flash(request: Request) -> str | None:
    if "session" in request.scope and "flash" in request.session:
        return str(request.session.pop("flash"))
    return None


@router.get("/", response_class=HTMLResponse)
def top(request: Request) -> HTMLResponse:
    viewer = viewer_of(request, flash=_flash(request))
    return HTMLResponse(_pages(request).top(viewer, page=_page_number(request)))


@router.get("/archive", response_class=HTMLResponse)
def archive(request: Request) -> HTMLResponse:
    return HTMLResponse(_pages(request).archive(viewer_of(request)))


@router.get("/category/{name:path}", response_class=HTMLResponse)
def category(request: Request, name: str) -> HTMLResponse:
    html = _pages(request).category(viewer_of(request), name, page=_page_number(request))
    return HTMLResponse(html)


@router.get("/{key}", response_class=HTMLResponse)
def dated(request: Request, key: str) -> HTMLResponse:
    """``/YYYYMMDD`` a day, ``/YYYYMM`` a month, ``/MMDD`` that date in every year."""
    pages = _pages(request)
    viewer = viewer_of(request, flash=_flash(request))
    if re.fullmatch(r"\d{8}", key):
        return HTMLResponse(pages.day(viewer, _day(key)))
    if re.fullmatch(r"\d{6}", key):
        year, month = int(key[:4]), int(key[4:])
        if 1 <= month <= 12 and year >= 1:
            return HTMLResponse(pages.month(viewer, year, month))
    if re.fullmatch(r"\d{4}", key):
        month, mday = int(key[:2]), int(key[2:])
        if _is_calendar_date(month, mday):
            return HTMLResponse(pages.same_date(viewer, month, mday))
    raise NotFound("There is no page at this address.")


@router.get("/{day}/{name}", response_class=HTMLResponse)
def entry(request: Request, day: str, name: str) -> HTMLResponse:
    if not re.fullmatch(r"\d{8}", day):
        raise NotFound("There is no page at this address.")
    viewer = viewer_of(request, flash=_flash(request))
    try:
        check_entry_name(name)
    except UsageError as exc:
        raise NotFound("There is no page at this address.") from exc
    return HTMLResponse(_pages(request).entry(viewer, _day(day), name))


def _day(key: str) -> dt.date:
    """A day from an address; an impossible date is a missing page, not a bad request."""
    try:
        return parse_day(key)
    except UsageError as exc:
        raise NotFound(f"There is no day {key}.") from exc


def _is_calendar_date(month: int, mday: int) -> bool:
    try:
        dt.date(2000, month, mday)  # a leap year, so 0229 counts
    except ValueError:
        return False
    return True
