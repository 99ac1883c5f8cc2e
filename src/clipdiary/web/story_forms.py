"""The owner's forms on a story's page: rename, merge, move an entry, keep two apart.

Each form posts with the owner's session and its CSRF token and, done, redirects back to
the story. A decision that cannot be made (a bad id, entries kept apart) changes nothing:
the story's page comes back with the one-line reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from clipdiary.errors import ClipdiaryError, NotFound, PermissionDenied, UsageError
from clipdiary.model import check_entry_name, day_key, parse_day
from clipdiary.store import Store
from clipdiary.stories import owner
from clipdiary.stories.query import get_story, parse_story_key
from clipdiary.urls import Urls
from clipdiary.web.auth import check_csrf, pages_of, session_is_owner, store_of, viewer_of
from clipdiary.web.redirects import redirect_here
from clipdiary.web.stories import story_number

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
Csrf = Annotated[str | None, Form(alias="csrf_token")]
_ADDRESS = re.compile(r"/?(\d{8})[/#]([^/#]+)/?")


def parse_entry_address(text: str) -> tuple[dt.date, str]:
    """``20160905/1473071774`` (or ``/20160905#1473071774``) as a day and a name."""
    match = _ADDRESS.fullmatch(text.strip())
    if not match:
        raise UsageError(f"not an entry address: {text.strip()!r} (write it as YYYYMMDD/NAME)")
    return parse_day(match.group(1)), check_entry_name(match.group(2))


def address_of(day: dt.date, name: str) -> str:
    return f"{day_key(day)}/{name}"


# (what was done, the page to go back to)
Action = Callable[[Store, int, Urls], tuple[str, str]]


def _decide(request: Request, key: str, csrf: str | None, action: Action) -> Response:
    """Run the owner's decision on story ``key``: redirect to the story it leaves the owner
    at, or show this story again with why it could not be done."""
    if not session_is_owner(request):
        raise PermissionDenied("only the diary's owner can do this: log in first")
    check_csrf(request, csrf)
    number = story_number(key)
    pages = pages_of(request)
    try:
        message, target = action(store_of(request), number, pages.urls)
    except ClipdiaryError as exc:
        html = pages.story(viewer_of(request), number, error=str(exc))
        return HTMLResponse(html, status_code=400)
    request.session["flash"] = message
    return redirect_here(target, 303)


def _back(store: Store, number: int, urls: Urls, otherwise: str) -> str:
    """The story's page while it is there, else ``otherwise``: a story left with one entry
    goes (unless the owner placed it so)."""
    try:
        get_story(store, number, include_private=True)
    except NotFound:
        return otherwise
    return urls.story(number)


@router.post("/story/{key}/rename")
def rename(request: Request, key: str, title: FormText = "", csrf: Csrf = None) -> Response:
    def act(store: Store, number: int, urls: Urls) -> tuple[str, str]:
        owner.rename(store, number, title)
        done = "Renamed the story." if title.strip() else "The story has its chosen title again."
        return done, urls.story(number)

    return _decide(request, key, csrf, act)


@router.post("/story/{key}/merge")
def merge(request: Request, key: str, other: FormText = "", csrf: Csrf = None) -> Response:
    def act(store: Store, number: int, urls: Urls) -> tuple[str, str]:
        merged = parse_story_key(other)
        owner.merge(store, [number, merged])
        return f"Merged s{merged} into s{number}.", urls.story(number)

    return _decide(request, key, csrf, act)


@router.post("/story/{key}/move")
def move(
    request: Request,
    key: str,
    entry: FormText = "",
    to: FormText = "",
    alone: FormText = "",
    csrf: Csrf = None,
) -> Response:
    def act(store: Store, number: int, urls: Urls) -> tuple[str, str]:
        day, name = parse_entry_address(entry)
        if alone:
            placed = owner.move(store, day, name, alone=True)
            done = f"{address_of(day, name)} is a story of its own now (s{placed})."
        elif to.strip():
            placed = owner.move(store, day, name, to=parse_story_key(to))
            done = f"Moved {address_of(day, name)} to s{placed}."
        else:
            raise UsageError("give the story to move the entry to (like s12), or 'On its own'")
        return done, _back(store, number, urls, otherwise=urls.story(placed))

    return _decide(request, key, csrf, act)


@router.post("/story/{key}/apart")
def apart(
    request: Request, key: str, entry: FormText = "", other: FormText = "", csrf: Csrf = None
) -> Response:
    def act(store: Store, number: int, urls: Urls) -> tuple[str, str]:
        first, second = parse_entry_address(entry), parse_entry_address(other)
        owner.apart(store, first, second)
        done = f"{address_of(*first)} and {address_of(*second)} are kept apart."
        return done, _back(store, number, urls, otherwise=urls.stories())

    return _decide(request, key, csrf, act)
