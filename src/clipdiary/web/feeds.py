"""Atom feeds on the live site: ``/feed``, ``/category/NAME/feed`` and ``/story/ID/feed``.

Registered before ``reader``, whose ``/category/{name:path}`` would otherwise take the
category feed's address as a category named ``NAME/feed``.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

from fastapi import APIRouter, Request, Response

from clipdiary.errors import NotFound
from clipdiary.pages.feeds import MEDIA_TYPE, Feed, FeedBuilder
from clipdiary.web.auth import pages_of, store_of
from clipdiary.web.stories import story_number

router = APIRouter(include_in_schema=False)


def _feeds(request: Request) -> FeedBuilder:
    feeds = getattr(request.app.state, "feeds", None)
    if not isinstance(feeds, FeedBuilder):
        feeds = FeedBuilder(store_of(request), pages_of(request).urls)
        request.app.state.feeds = feeds
    return feeds


def site_url(request: Request) -> str:
    """The diary's published address when it is set, else the address it was asked at."""
    configured = store_of(request).diary.base_url.strip()
    if configured:
        return configured.rstrip("/")
    return str(request.base_url).rstrip("/")


def _response(feed: Feed) -> Response:
    headers = {"Last-Modified": format_datetime(feed.updated.astimezone(dt.UTC), usegmt=True)}
    return Response(feed.xml, media_type=f"{MEDIA_TYPE}; charset=utf-8", headers=headers)


@router.get("/feed")
def diary_feed(request: Request) -> Response:
    return _response(_feeds(request).diary_feed(site_url(request)))


@router.get("/category/{name:path}/feed")
def category_feed(request: Request, name: str) -> Response:
    feed = _feeds(request).category_feed(name, site_url(request))
    if not feed.count:
        raise NotFound(f"no public entries in the category {name!r}")
    return _response(feed)


@router.get("/story/{key}/feed")
def story_feed(request: Request, key: str) -> Response:
    return _response(_feeds(request).story_feed(story_number(key), site_url(request)))
