"""A story's page and the list of stories, as every visitor may read them.

Registered before ``reader``, whose ``/{day}/{name}`` would otherwise take ``/story/s17``.
A story whose entries the visitor may not see is a missing page, as a story that does not
exist is.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from clipdiary.errors import NotFound
from clipdiary.web.auth import pages_of
from clipdiary.web.reader import cached_page, page_number

router = APIRouter(include_in_schema=False)


def story_number(key: str) -> int:
    """The number in a story's address (``s17``); anything else is a missing page."""
    if not re.fullmatch(r"s\d{1,12}", key):
        raise NotFound("There is no story at this address.")
    return int(key[1:])


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request) -> HTMLResponse:
    page = page_number(request)
    return cached_page(request, lambda viewer: pages_of(request).stories(viewer, page=page))


@router.get("/story/{key}", response_class=HTMLResponse)
def story(request: Request, key: str) -> HTMLResponse:
    number = story_number(key)
    return cached_page(request, lambda viewer: pages_of(request).story(viewer, number))
