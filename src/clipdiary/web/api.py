"""The JSON API: read entries as anyone allowed to see them; write with an API token.

Every entry leaves in the shape of DESIGN.md (``clipdiary.entry_json``). Writes take a
bearer token (``clipdiary token create``), never the session cookie, so no page of another
site can write through a logged-in browser.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from clipdiary.entry_json import entry_to_json, related_json
from clipdiary.errors import UsageError
from clipdiary.model import EntryChanges, NewEntry, RelatedLink, Source, StoryRef, has_content
from clipdiary.related.query import related_for, related_of
from clipdiary.safeurl import check_web_url
from clipdiary.store.media import images_of
from clipdiary.store.source_checks import statuses_of
from clipdiary.stories.query import story_refs
from clipdiary.web.auth import is_owner, pages_of, require_scope, store_of
from clipdiary.web.reader import day_of_address

router = APIRouter(prefix="/api", tags=["entries"])
MAX_OFFSET = 100_000_000


class SourceOut(BaseModel):
    url: str
    site: str | None
    lang: str | None
    published: str | None
    author: str | None


class CommentOut(BaseModel):
    author: str
    body: str
    created: str


class RelatedOut(BaseModel):
    day: str
    name: str
    url: str
    title: str
    lang: str | None
    score: float


class EntryStoryOut(BaseModel):
    """The story an entry is in, with at least one other entry the caller may see."""

    id: str = Field(examples=["s17"])
    title: str
    url: str = Field(examples=["/story/s17"])
    size: int


class ImageOut(BaseModel):
    url: str = Field(description="where the clipped page had the image")
    src: str = Field(description="where the diary serves its copy", examples=["/media/….jpg"])
    alt: str
    caption: str
    lead: bool = Field(description="the page's lead image")
    width: int
    height: int


class SourceStatusOut(BaseModel):
    state: Literal["ok", "gone", "moved", "changed", "unreachable"]
    since: str
    checked: str
    http_status: int | None
    detail: str


class EntryOut(BaseModel):
    """An entry as every part of clipdiary shows it."""

    day: str = Field(examples=["2016-09-05"])
    name: str = Field(examples=["1473071774"])
    url: str = Field(examples=["/20160905/1473071774"])
    title: str
    categories: list[str]
    format: Literal["hatena", "html", "markdown"]
    body: str
    visibility: Literal["public", "private"]
    created: str
    updated: str
    source: SourceOut | None
    aliases: list[str]
    comments: list[CommentOut]
    text: str
    related: list[RelatedOut]
    story: EntryStoryOut | None
    images: list[ImageOut] = Field(description="images kept with a clip (empty for others)")
    source_status: SourceStatusOut | None = Field(
        description="(owner) what the last link check found at the source"
    )


class SourceIn(BaseModel):
    url: str = Field(description="the page's http(s) address; any other scheme is refused")
    site: str | None = None
    lang: str | None = None
    published: dt.datetime | None = None
    author: str | None = None


class EntryIn(BaseModel):
    """A new entry. Day and name follow the diary's clock unless given."""

    title: str = Field(max_length=1000)
    body: str = ""
    categories: list[str] = Field(default_factory=list, max_length=50)
    format: Literal["hatena", "html", "markdown"] = "hatena"
    visibility: Literal["public", "private"] = "public"
    created: dt.datetime | None = Field(
        default=None, description="when it was written (ISO 8601 with offset); default now"
    )
    day: dt.date | None = None
    name: str | None = Field(default=None, description="an epoch second or a word like p1")
    source: SourceIn | None = None


class EntryPatch(BaseModel):
    """An edit: fields left out stay as they are. Day and name never change."""

    title: str | None = Field(default=None, max_length=1000)
    body: str | None = None
    categories: list[str] | None = Field(default=None, max_length=50)
    format: Literal["hatena", "html", "markdown"] | None = None
    visibility: Literal["public", "private"] | None = None


EMPTY = 'an entry needs a title or a body: give a non-empty "title" or "body"'


def require_token(request: Request) -> None:
    require_scope(request, "write", "writing")


def _out(
    request: Request,
    entry: Any,
    related: dict[int, list[RelatedLink]] | None = None,
    stories: dict[int, StoryRef] | None = None,
) -> dict[str, Any]:
    store = store_of(request)
    owner = is_owner(request)
    if related is None:
        related = related_for(store, [entry.id], include_private=owner)
    if stories is None:
        stories = story_refs(store, [entry.id], include_private=owner)
    statuses = statuses_of(store, [entry.id]) if owner else {}
    return entry_to_json(
        entry,
        store.diary,
        urls=pages_of(request).urls,
        related=related.get(entry.id, []),
        story=stories.get(entry.id),
        images=images_of(store, [entry.id]).get(entry.id, []),
        source_status=statuses.get(entry.id),
    )


@router.get("/entries", response_model=list[EntryOut], summary="List entries")
def list_entries(
    request: Request,
    day: str | None = Query(default=None, description="only this day, YYYYMMDD"),
    limit: int = Query(default=20, ge=1, le=200),
    offset: int = Query(default=0, ge=0, description=f"at most {MAX_OFFSET:,}"),
) -> list[dict[str, Any]]:
    """Entries newest first, or the entries of one day in the order they were written."""
    if offset > MAX_OFFSET:  # the database takes a 64-bit number; no diary is that long
        raise UsageError(f"offset must be at most {MAX_OFFSET:,}, not {offset}")
    store = store_of(request)
    owner = is_owner(request)
    if day is not None:
        entries = store.entries(include_private=owner, day=day_of_address(day))[
            offset : offset + limit
        ]
    else:
        entries = store.entries(
            include_private=owner, newest_first=True, limit=limit, offset=offset
        )
    ids = [e.id for e in entries]
    related = related_for(store, ids, include_private=owner)
    stories = story_refs(store, ids, include_private=owner)
    return [_out(request, e, related, stories) for e in entries]


@router.get("/entries/{day}/{name}", response_model=EntryOut, summary="Read one entry")
def get_entry(request: Request, day: str, name: str) -> dict[str, Any]:
    store = store_of(request)
    entry = store.get_entry(day_of_address(day), name, include_private=is_owner(request))
    return _out(request, entry)


@router.get(
    "/entries/{day}/{name}/related",
    response_model=list[RelatedOut],
    summary="The earlier entries about the same story",
)
def get_related(request: Request, day: str, name: str) -> list[dict[str, Any]]:
    """Found automatically and across languages, newest first, each with its score."""
    store = store_of(request)
    links = related_of(store, day_of_address(day), name, include_private=is_owner(request))
    return related_json(links, pages_of(request).urls)


@router.post("/entries", response_model=EntryOut, status_code=201, summary="Write an entry")
def create_entry(request: Request, payload: EntryIn, response: Response) -> dict[str, Any]:
    require_token(request)
    if not has_content(payload.title, payload.body):
        raise UsageError(EMPTY)
    source = None
    if payload.source is not None:
        check_web_url(payload.source.url, "source.url")  # it becomes the entry's link
        source = Source(**payload.source.model_dump())
    entry = store_of(request).add_entry(
        NewEntry(
            title=payload.title,
            body=payload.body,
            categories=tuple(payload.categories),
            format=payload.format,
            visibility=payload.visibility,
            created=payload.created,
            day=payload.day,
            name=payload.name,
            source=source,
        )
    )
    data = _out(request, entry)
    response.headers["Location"] = data["url"]
    return data


@router.patch("/entries/{day}/{name}", response_model=EntryOut, summary="Edit an entry")
def edit_entry(request: Request, day: str, name: str, payload: EntryPatch) -> dict[str, Any]:
    require_token(request)
    store = store_of(request)
    the_day = day_of_address(day)
    if payload.title is not None or payload.body is not None:
        before = store.get_entry(the_day, name)
        title = before.title if payload.title is None else payload.title
        if not has_content(title, before.body if payload.body is None else payload.body):
            raise UsageError(EMPTY)
    changes = EntryChanges(
        title=payload.title,
        body=payload.body,
        categories=tuple(payload.categories) if payload.categories is not None else None,
        format=payload.format,
        visibility=payload.visibility,
    )
    entry = store.update_entry(the_day, name, changes)
    return _out(request, entry)


@router.delete("/entries/{day}/{name}", status_code=204, summary="Delete an entry")
def delete_entry(request: Request, day: str, name: str) -> Response:
    require_token(request)
    store_of(request).delete_entry(day_of_address(day), name)
    return Response(status_code=204)
