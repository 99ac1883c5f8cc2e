"""The JSON API of stories: read them as anyone allowed to see their entries; the owner's
decisions (rename, merge, move, apart) with an API token, as every write of the API.

A story leaves in the shape of DESIGN.md; a list of stories gives each without its
entries. A malformed id is a 400, an unknown one (or one whose entries the caller may not
see) a 404, each as ``{"detail": …}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from clipdiary.entry_json import story_json, story_to_json
from clipdiary.model import StoryRef
from clipdiary.stories import owner
from clipdiary.stories.query import (
    get_story,
    list_stories,
    parse_story_key,
    story_langs_and_last,
    story_refs,
)
from clipdiary.urls import Urls
from clipdiary.web.api import require_token
from clipdiary.web.auth import is_owner, pages_of, store_of
from clipdiary.web.story_forms import address_of, parse_entry_address

router = APIRouter(prefix="/api", tags=["stories"])


class StoryEntryOut(BaseModel):
    day: str = Field(examples=["2016-09-05"])
    name: str = Field(examples=["1473071774"])
    url: str = Field(examples=["/20160905/1473071774"])
    title: str
    lang: str | None


class StorySummaryOut(BaseModel):
    """A story in a list: its entries are at its own address."""

    id: str = Field(examples=["s17"])
    title: str
    url: str = Field(examples=["/story/s17"])
    size: int
    first_day: str
    last_day: str
    langs: list[str]


class StoryOut(StorySummaryOut):
    """A story with its entries, oldest first."""

    entries: list[StoryEntryOut]


class StoryRefOut(BaseModel):
    id: str
    title: str
    url: str
    size: int


class PlacedOut(BaseModel):
    entry: str = Field(examples=["20160905/1473071774"])
    story: StoryRefOut | None


class ApartOut(BaseModel):
    """Where each of the two entries is now."""

    entries: list[PlacedOut]


class RenameIn(BaseModel):
    title: str = Field(max_length=1000, description="the owner's; empty: the chosen one again")


class MergeIn(BaseModel):
    ids: list[str] = Field(min_length=2, max_length=100, examples=[["s1", "s2"]])


class MoveIn(BaseModel):
    entry: str = Field(examples=["20160905/1473071774"])
    to: str | None = Field(description="a story id like s3; null: a story of its own")


class ApartIn(BaseModel):
    entries: list[str] = Field(min_length=2, max_length=2)


def _summary(ref: StoryRef, langs: tuple[str, ...], last: str, urls: Urls) -> dict[str, Any]:
    return {
        "id": ref.key,
        "title": ref.title,
        "url": urls.story(ref.number),
        "size": ref.size,
        "first_day": ref.first_day.isoformat(),
        "last_day": last,
        "langs": list(langs),
    }


def _story(request: Request, number: int, *, include_private: bool) -> dict[str, Any]:
    found = get_story(store_of(request), number, include_private=include_private)
    return story_to_json(found, pages_of(request).urls)


@router.get("/stories", response_model=list[StorySummaryOut], summary="List stories")
def list_all(
    request: Request,
    limit: int = Query(default=50, ge=1, le=200),
    page: int = Query(default=1, ge=1, le=1_000_000),
) -> list[dict[str, Any]]:
    """Stories of two or more entries, the most recently added to first."""
    store, owned = store_of(request), is_owner(request)
    refs = list_stories(store, include_private=owned, limit=limit, offset=(page - 1) * limit)
    extras = story_langs_and_last(store, [r.number for r in refs], include_private=owned)
    urls = pages_of(request).urls
    result = []
    for ref in refs:
        langs, last = extras.get(ref.number, ((), ref.first_day))
        result.append(_summary(ref, langs, last.isoformat(), urls))
    return result


@router.get("/stories/{story_id}", response_model=StoryOut, summary="Read one story")
def read(request: Request, story_id: str) -> dict[str, Any]:
    return _story(request, parse_story_key(story_id), include_private=is_owner(request))


@router.post("/stories/merge", response_model=StoryOut, summary="Merge stories into the first")
def merge(request: Request, payload: MergeIn) -> dict[str, Any]:
    require_token(request)
    numbers = [parse_story_key(i) for i in payload.ids]
    kept = owner.merge(store_of(request), numbers)
    return _story(request, kept, include_private=True)


@router.post("/stories/move", response_model=StoryOut, summary="Move an entry to a story")
def move(request: Request, payload: MoveIn) -> dict[str, Any]:
    """Into the story ``to``, or (``to`` null) into a story of its own."""
    require_token(request)
    day, name = parse_entry_address(payload.entry)
    store = store_of(request)
    if payload.to is None:
        placed = owner.move(store, day, name, alone=True)
    else:
        placed = owner.move(store, day, name, to=parse_story_key(payload.to))
    return _story(request, placed, include_private=True)


@router.post("/stories/apart", response_model=ApartOut, summary="Keep two entries apart")
def apart(request: Request, payload: ApartIn) -> dict[str, Any]:
    """The two entries are not the same story, now and in every recomputation."""
    require_token(request)
    first, second = (parse_entry_address(e) for e in payload.entries)
    store = store_of(request)
    owner.apart(store, first, second)
    entries = [store.get_entry(day, name) for day, name in (first, second)]
    refs = story_refs(store, [e.id for e in entries], include_private=True)
    urls = pages_of(request).urls
    return {
        "entries": [
            {"entry": address_of(e.day, e.name), "story": story_json(refs.get(e.id), urls)}
            for e in entries
        ]
    }


@router.post("/stories/{story_id}/rename", response_model=StoryOut, summary="Rename a story")
def rename(request: Request, story_id: str, payload: RenameIn) -> dict[str, Any]:
    require_token(request)
    number = parse_story_key(story_id)
    owner.rename(store_of(request), number, payload.title)
    return _story(request, number, include_private=True)
