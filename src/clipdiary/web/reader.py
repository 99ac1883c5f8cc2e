"""The pages every visitor can read: top, day, entry, month, same date, archive, category."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from clipdiary.errors import NotFound, UsageError
from clipdiary.model import check_entry_name, parse_day
from clipdiary.pages import Viewer
from clipdiary.web.auth import pages_of, store_of, viewer_of
from clipdiary.web.head import is_head
from clipdiary.web.pagecache import PageCache

router = APIRouter(include_in_schema=False)


def page_number(request: Request) -> int:
    """``?page=N`` of a paged list; a number that names no page is a missing page."""
    raw = request.query_params.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0):
        raise NotFound(f"There is no page {raw!r}: pages are numbered from 1.")
    return int(raw)


def pop_flash(request: Request) -> str | None:
    if "session" in request.scope and "flash" in request.session:
        if is_head(request.scope):
            return str(request.session["flash"])  # shown to the GET that comes after
        return str(request.session.pop("flash"))
    return None


def cached_page(request: Request, build: Callable[[Viewer], str]) -> HTMLResponse:
    """The page ``build`` makes for this viewer; for visitors, from the cache when current."""
    viewer = viewer_of(request, flash=pop_flash(request))
    if viewer.is_owner or viewer.flash:
        return HTMLResponse(build(viewer))
    cache: PageCache = request.app.state.page_cache
    key = request.url.path + "?" + request.url.query
    revision: int = getattr(request.state, "revision", None) or store_of(request).sync()
    html = cache.get(key, revision)
    if html is None:
        html = build(viewer)
        cache.put(key, revision, html)
    return HTMLResponse(html)


@router.get("/", response_class=HTMLResponse)
def top(request: Request) -> HTMLResponse:
    page = page_number(request)
    return cached_page(request, lambda viewer: pages_of(request).top(viewer, page=page))


@router.get("/archive", response_class=HTMLResponse)
def archive(request: Request) -> HTMLResponse:
    return cached_page(request, pages_of(request).archive)


@router.get("/category/{name:path}", response_class=HTMLResponse)
def category(request: Request, name: str) -> HTMLResponse:
    page = page_number(request)
    return cached_page(request, lambda viewer: pages_of(request).category(viewer, name, page=page))


@router.get("/{key}", response_class=HTMLResponse)
def dated(request: Request, key: str) -> HTMLResponse:
    """``/YYYYMMDD`` a day, ``/YYYYMM`` a month, ``/MMDD`` that date in every year."""
    pages = pages_of(request)
    if re.fullmatch(r"\d{8}", key):
        day = day_of_address(key)
        return cached_page(request, lambda viewer: pages.day(viewer, day))
    if re.fullmatch(r"\d{6}", key):
        year, month = int(key[:4]), int(key[4:])
        if 1 <= month <= 12 and year >= 1:
            return cached_page(request, lambda viewer: pages.month(viewer, year, month))
    if re.fullmatch(r"\d{4}", key):
        month, mday = int(key[:2]), int(key[2:])
        if _is_calendar_date(month, mday):
            return cached_page(request, lambda viewer: pages.same_date(viewer, month, mday))
    raise NotFound("There is no page at this address.")


@router.get("/{day}/{name}", response_class=HTMLResponse)
def entry(request: Request, day: str, name: str) -> HTMLResponse:
    if not re.fullmatch(r"\d{8}", day):
        raise NotFound("There is no page at this address.")
    try:
        check_entry_name(name)
    except UsageError as exc:
        raise NotFound("There is no page at this address.") from exc
    the_day = day_of_address(day)
    return cached_page(request, lambda viewer: pages_of(request).entry(viewer, the_day, name))


def day_of_address(key: str) -> dt.date:
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
